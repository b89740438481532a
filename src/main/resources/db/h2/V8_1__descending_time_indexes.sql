-- H2 only (SchemaMigration adds db/h2 to the locations on H2): H2 cannot walk an index backwards,
-- so "newest first" (ORDER BY TimeGenerated DESC, Id DESC, the read API's and the console's
-- default view) read and sorted every row of the time range: 2.3 s for the last day of a million
-- events (ConsoleBenchmark), 51 rows read with these. PostgreSQL walks the ascending indexes
-- backwards and needs none of this.
CREATE INDEX IxRepositoryEventsTimeDesc ON ContainerRegistryRepositoryEvents (TimeGenerated DESC, Id DESC);
CREATE INDEX IxLoginEventsTimeDesc ON ContainerRegistryLoginEvents (TimeGenerated DESC, Id DESC);
