package org.registryaudit.query.control;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Every query result test of {@link QueryResultsTest} again on a real PostgreSQL (PGHOST, PGPORT,
 * PGUSER; 127.0.0.1:5432 and postgres by default), in the integration tier because it needs one:
 * {@code mvn test} runs without a database.
 */
class QueryResultsPostgresIT extends QueryResultsTest {

    static final String PG_DATABASE = "registry_audit_query_test";

    @Override
    Database open() throws SQLException {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        try (Connection admin =
                        DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + PG_DATABASE);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + PG_DATABASE;
        return new Database(
                "PostgreSQL", SqlDialect.POSTGRESQL, prepare(DriverManager.getConnection(url, user, ""), url, user));
    }
}
