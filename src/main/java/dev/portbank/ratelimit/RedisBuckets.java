package dev.portbank.ratelimit;

import dev.portbank.config.RedisUrl;
import dev.portbank.config.Settings;
import dev.portbank.platform.RedisClients;
import dev.portbank.platform.RedisScript;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Token buckets kept in Redis ({@code RATE_LIMIT_SHARED=true}), so that every instance charges the same bucket for a
 * principal. One Lua script refills and takes atomically, on Redis's clock. When Redis cannot answer, {@link #take}
 * says so and the caller limits with its own buckets: a rate limit must never turn into a 500.
 */
public final class RedisBuckets implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisBuckets.class.getName());
    /** After a failure, calls skip Redis this long rather than each wait for its timeout. */
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final String KEY_PREFIX = "portbank:rate:";
    /**
     * KEYS[1] the bucket; ARGV rate per second, burst, permits. Returns 0 when taken, else microseconds to wait. A
     * bucket is a hash of tokens and the time they were counted; it expires once it would be full again.
     */
    private static final RedisScript TAKE = new RedisScript("""
            local rate, burst, permits = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens, at = tonumber(saved[1]) or burst, tonumber(saved[2]) or now
            if now > at then
              tokens = math.min(burst, tokens + (now - at) * rate / 1000000)
              at = now
            end
            local needed = math.min(permits, burst)
            if tokens < needed then
              return math.ceil((needed - tokens) * 1000000 / rate)
            end
            tokens = tokens - permits
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
            redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
            return 0""");

    private final RedisClient redis;
    private final LongSupplier nanoTime;
    private final Counter fallbacks;
    private volatile long skipUntilNanos;
    private volatile boolean failing;

    RedisBuckets(RedisUrl url, Settings.Cache settings, LongSupplier nanoTime) {
        this.redis = RedisClients.pooled(url, settings, "portbank-rate-limit");
        this.nanoTime = nanoTime;
        this.fallbacks = Metrics.globalRegistry().getOrCreate(Counter.builder("portbank.ratelimit.shared.fallbacks")
                .description("rate-limit decisions taken by the instance alone because Redis could not answer"));
    }

    /** The shared buckets the settings ask for: present only with {@code RATE_LIMIT_SHARED=true}. */
    public static Optional<RedisBuckets> attach(Settings settings) {
        if (!settings.limits().shared()) {
            return Optional.empty();
        }
        RedisUrl url = settings.cache().url().orElseThrow(); // Settings refuses shared limits without REDIS_URL
        LOG.info("rate limits shared by every instance through Redis: " + url.redacted());
        return Optional.of(new RedisBuckets(url, settings.cache(), System::nanoTime));
    }

    /**
     * Takes {@code permits} from {@code subject}'s bucket for {@code action}: 0 if taken, else nanoseconds until they
     * would be; empty when Redis could not decide (down, slow, or failed a moment ago).
     */
    OptionalLong take(String action, String subject, double perSecond, double burst, int permits) {
        if (nanoTime.getAsLong() - skipUntilNanos < 0) {
            fallbacks.increment();
            return OptionalLong.empty();
        }
        try {
            Object answer = TAKE.run(redis, List.of(KEY_PREFIX + action + ":" + subject),
                    List.of(Double.toString(perSecond), Double.toString(burst), Integer.toString(permits)));
            if (!(answer instanceof Long waitMicros)) {
                throw new JedisException("the rate-limit script answered " + answer + ", not a number");
            }
            if (failing) {
                failing = false;
                LOG.info("shared rate limits: Redis answers again, buckets are shared by every instance");
            }
            return OptionalLong.of(TimeUnit.MICROSECONDS.toNanos(waitMicros));
        } catch (JedisException e) {
            skipUntilNanos = nanoTime.getAsLong() + PAUSE_AFTER_FAILURE.toNanos();
            if (!failing) {
                failing = true;
                LOG.warning("shared rate limits: Redis does not answer (" + e.getMessage() + "); each instance "
                        + "limits alone until it does");
            }
            fallbacks.increment();
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
