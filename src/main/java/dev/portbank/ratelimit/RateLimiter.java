package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.config.Settings;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestId;
import io.helidon.http.Status;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal for one kind of call: {@code rate} per second with bursts up to {@code burst}. Per
 * instance by default (with N instances behind a load balancer a principal gets up to N times the rate); with
 * {@link RedisBuckets} the bucket is shared by every instance, and this instance's own buckets decide only while
 * Redis cannot.
 */
public final class RateLimiter {
    private static final EventLog AUDIT = EventLog.named("audit");
    static final int MAX_TRACKED = 100_000;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /**
     * One limit: {@code action} names it in audit lines, {@code calls} in the 429's detail; {@code perSecond} 0 turns
     * it off.
     */
    public record Limit(String action, String calls, double perSecond, int burst) {
    }

    private final Limit limit;
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Optional<RedisBuckets> shared;

    public RateLimiter(Limit limit) {
        this(limit, Optional.empty());
    }

    public RateLimiter(Limit limit, Optional<RedisBuckets> shared) {
        this(limit, System::nanoTime, shared);
    }

    RateLimiter(Limit limit, LongSupplier nanoTime) {
        this(limit, nanoTime, Optional.empty());
    }

    RateLimiter(Limit limit, LongSupplier nanoTime, Optional<RedisBuckets> shared) {
        this.limit = limit;
        this.shared = shared;
        this.ratePerNano = limit.perSecond() / NANOS_PER_SECOND;
        this.burst = Math.max(1, limit.burst());
        this.nanoTime = nanoTime;
    }

    /** Money-moving calls: {@code RATE_LIMIT_PER_SECOND}, {@code RATE_LIMIT_BURST}; shared when asked. */
    public static RateLimiter movements(Settings.Limits limits, Optional<RedisBuckets> shared) {
        return new RateLimiter(new Limit("move-money", "money-moving calls", limits.movementsPerSecond(),
                limits.movementBurst()), shared);
    }

    /** Reads: {@code RATE_LIMIT_READS_PER_SECOND}, {@code RATE_LIMIT_READS_BURST}. */
    public static RateLimiter reads(Settings.Limits limits, Optional<RedisBuckets> shared) {
        return new RateLimiter(new Limit("read", "reads", limits.readsPerSecond(), limits.readBurst()), shared);
    }

    /** Accounts opened: {@code RATE_LIMIT_OPENINGS_PER_MINUTE}, {@code RATE_LIMIT_OPENINGS_BURST}. */
    public static RateLimiter openings(Settings.Limits limits, Optional<RedisBuckets> shared) {
        return new RateLimiter(new Limit("open-account", "accounts opened", limits.openingsPerMinute() / 60.0,
                limits.openingBurst()), shared);
    }

    /** Takes one token for this principal or answers 429 with {@code Retry-After}. */
    public void acquire(Principal principal) {
        acquire(principal, 1);
    }

    /**
     * Takes {@code permits} tokens (one per item of a batch). A call larger than the burst is let through once the
     * bucket is full and leaves it in debt, so a big batch costs as much as its items but is never impossible.
     */
    public void acquire(Principal principal, int permits) {
        if (ratePerNano <= 0 || permits <= 0) {
            return;
        }
        OptionalLong sharedWait = shared.isEmpty() ? OptionalLong.empty()
                : shared.get().take(limit.action(), principal.subject(), limit.perSecond(), burst, permits);
        long waitNanos = sharedWait.isPresent() ? sharedWait.getAsLong() : takeLocally(principal.subject(), permits);
        if (waitNanos > 0) {
            long retryAfterSeconds = Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
            AUDIT.warn("rate-limited", "principal", principal.subject(), "action", limit.action(), "target", "-",
                    "outcome", "rate-limited", "requestId", RequestId.current());
            throw new ApiException(Problem.of(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests",
                    "too many " + limit.calls() + "; retry after " + retryAfterSeconds + " s"),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
    }

    private long takeLocally(String subject, int permits) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            forgetIdle(now);
        }
        return buckets.computeIfAbsent(subject, s -> new Bucket(burst, now)).take(now, ratePerNano, burst, permits);
    }

    /**
     * Bounds memory. A full bucket is the same as none, so forgetting idle principals lets nobody exceed the rate; only
     * if that frees too little (more than half the maximum busy at once) is everything forgotten, which keeps the
     * cost of these scans to one per {@code MAX_TRACKED / 2} new principals.
     */
    private void forgetIdle(long now) {
        buckets.values().removeIf(bucket -> bucket.isFull(now, ratePerNano, burst));
        if (buckets.size() > MAX_TRACKED / 2) {
            buckets.clear();
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        /** Zero if the tokens were taken, else how long until they are available. */
        synchronized long take(long now, double ratePerNano, double burst, int permits) {
            refill(now, ratePerNano, burst);
            double needed = Math.min(permits, burst);
            if (tokens >= needed) {
                tokens -= permits;
                return 0;
            }
            return (long) Math.ceil((needed - tokens) / ratePerNano);
        }

        synchronized boolean isFull(long now, double ratePerNano, double burst) {
            refill(now, ratePerNano, burst);
            return tokens >= burst;
        }

        private void refill(long now, double ratePerNano, double burst) {
            if (now > refilledAt) {
                tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
                refilledAt = now;
            }
        }
    }
}
