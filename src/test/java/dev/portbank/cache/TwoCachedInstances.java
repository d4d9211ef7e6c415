package dev.portbank.cache;

import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;
import dev.portbank.testing.TestServer;

import java.util.List;
import java.util.Map;

import static dev.portbank.cache.CacheTestSupport.awaitCacheTrusted;

/** Two PortBank instances sharing one database and one Redis of the test's own, both using the cache. */
record TwoCachedInstances(TestDatabase database, TestRedis redis, TestServer first, TestServer second)
        implements AutoCloseable {

    static TwoCachedInstances start() {
        TestDatabase database = TestDatabase.create();
        TestRedis redis = TestRedis.start();
        TestServer first = TestServer.start(database, Map.of("REDIS_URL", redis.url()));
        TestServer second = TestServer.start(database, Map.of("REDIS_URL", redis.url(),
                "DATABASE_MIGRATE_ON_START", "false"));
        awaitCacheTrusted(first);
        awaitCacheTrusted(second);
        return new TwoCachedInstances(database, redis, first, second);
    }

    List<Api> apis() {
        return List.of(first.api(), second.api());
    }

    @Override
    public void close() {
        second.close();
        first.close();
        redis.close();
        database.close();
    }
}
