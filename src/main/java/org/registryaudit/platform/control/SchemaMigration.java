package org.registryaudit.platform.control;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema of the default datasource up to date with Flyway before anything is served.
 * The same migrations run on the embedded H2 and on PostgreSQL, and on H2 those of db/h2 besides
 * (indexes that only H2 needs, numbered between the shared ones). On PostgreSQL it also warns when
 * autovacuum is off: the event tables are then never analyzed, and a statement planned while a
 * table was small (the duplicate check of every ingested message) keeps its sequential scan for the
 * life of the connection, however large the table grows.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    private static final System.Logger LOG = System.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        if (DataDirectory.serverRoot() != null) {
            DataDirectory.keepPrivate(
                    DataDirectory.serverRoot()); // the embedded database and broker journal live there
        }
        DataDirectory.keepPrivate(DataDirectory.get());
        String product = databaseProduct();
        MigrateResult result = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations(
                        product.equals("H2")
                                ? new String[] {"classpath:db/migration", "classpath:db/h2"}
                                : new String[] {"classpath:db/migration"})
                .load()
                .migrate();
        LOG.log(
                System.Logger.Level.INFO,
                "Schema at version {0} ({1} migrations applied)",
                result.targetSchemaVersion,
                result.migrationsExecuted);
        if (product.equals("PostgreSQL")) {
            warnWithoutAutovacuum();
        }
    }

    private String databaseProduct() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("the database cannot be reached: " + e.getMessage(), e);
        }
    }

    private void warnWithoutAutovacuum() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW autovacuum")) {
            if (r.next() && "off".equals(r.getString(1))) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "PostgreSQL runs with autovacuum off: the event tables are "
                                + "never analyzed, and ingest slows down as they grow (its duplicate check keeps the plan "
                                + "it got while a table was small). Turn autovacuum on, or ANALYZE the tables regularly.");
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot check PostgreSQL''s autovacuum setting: {0}", e.getMessage());
        }
    }
}
