package dev.portbank.testing;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared PostgreSQL and Redis answer where {@link BackingServices} says they are, local or in containers. */
class BackingServicesTest {

    @Test
    void theSharedPostgresHoldsTheTestsDatabases() throws SQLException {
        try (TestDatabase database = TestDatabase.create();
             Connection connection = database.connect();
             Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT current_database()")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(database.databaseUrl().database());
            assertThat(BackingServices.postgresServerUrl()).contains(":" + database.databaseUrl().port() + "/");
        }
    }

    @Test
    void theSharedRedisAnswers() {
        URI url = URI.create(BackingServices.redisUrl());
        try (RedisClient client = RedisClient.create(url.getHost(), url.getPort())) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
    }
}
