package dev.portbank.platform;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.util.List;

/** A Lua script run by its SHA, loaded again when Redis has forgotten it (a restart). */
public final class RedisScript {
    private final String source;
    private volatile String sha;

    public RedisScript(String source) {
        this.source = source;
    }

    public Object run(RedisClient redis, List<String> keys, List<String> args) {
        String loaded = sha;
        if (loaded != null) {
            try {
                return redis.evalsha(loaded, keys, args);
            } catch (JedisNoScriptException e) {
                // Redis restarted and forgot the script: load it again below.
            }
        }
        sha = redis.scriptLoad(source);
        return redis.evalsha(sha, keys, args);
    }
}
