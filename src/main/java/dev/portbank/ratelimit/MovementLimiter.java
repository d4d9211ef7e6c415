package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.config.Settings;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestId;
import io.helidon.http.Status;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal for money-moving calls: {@code rate} per second with bursts up to {@code burst}.
 * Per instance, which bounds what one principal can do to the database without a shared store.
 */
public final class MovementLimiter {
    private static final EventLog AUDIT = EventLog.named("audit");
    static final int MAX_TRACKED = 100_000;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public MovementLimiter(Settings.Limits limits) {
        this(limits, System::nanoTime);
    }

    MovementLimiter(Settings.Limits limits, LongSupplier nanoTime) {
        this.ratePerNano = (double) limits.movementsPerSecond() / NANOS_PER_SECOND;
        this.burst = Math.max(1, limits.movementBurst());
        this.nanoTime = nanoTime;
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
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            forgetIdle(now);
        }
        long waitNanos = buckets.computeIfAbsent(principal.subject(), s -> new Bucket(burst, now))
                .take(now, ratePerNano, burst, permits);
        if (waitNanos > 0) {
            long retryAfterSeconds = Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
            AUDIT.warn("rate-limited", "principal", principal.subject(), "action", "move-money", "target", "-",
                    "outcome", "rate-limited", "requestId", RequestId.current());
            throw new ApiException(Problem.of(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests",
                    "too many money-moving calls; retry after " + retryAfterSeconds + " s"),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
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
