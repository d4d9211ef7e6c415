package dev.portbank.platform;

import dev.portbank.config.RedisUrl;
import dev.portbank.config.Settings;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** The one way PortBank connects to Redis, for the balance cache and the shared rate limits alike. */
public final class RedisClients {
    private RedisClients() {
    }

    /**
     * A pooled client for {@code url} whose every wait is bounded by {@code REDIS_TIMEOUT_MILLIS}: connecting, a
     * command, and a pool that has no free connection (an exhausted pool is Redis trouble too: fall back, don't
     * queue). {@code name} is what {@code CLIENT LIST} shows.
     */
    public static RedisClient pooled(RedisUrl url, Settings.Cache settings, String name) {
        int timeout = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .database(url.database()).ssl(url.tls()).clientName(name);
        url.user().ifPresent(client::user);
        url.password().ifPresent(client::password);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(settings.timeout());
        pool.setTestWhileIdle(false);
        return RedisClient.builder().hostAndPort(url.host(), url.port()).clientConfig(client.build())
                .poolConfig(pool).build();
    }
}
