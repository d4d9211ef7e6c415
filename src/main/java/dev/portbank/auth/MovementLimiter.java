package dev.portbank.auth;

import dev.portbank.config.Settings;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestId;
import io.helidon.http.Status;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per principal for money-moving calls: {@code rate} per second with bursts up to {@code burst}.
 * Per instance, which bounds what one principal can do to the database without a shared store.
 */
public final class MovementLimiter {
    private static final EventLog AUDIT = EventLog.named("audit");
    private static final int MAX_TRACKED = 100_000;

    private final double ratePerNano;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public MovementLimiter(Settings.Limits limits) {
        this.ratePerNano = limits.movementsPerSecond() / 1e9;
        this.burst = Math.max(1, limits.movementBurst());
    }

    /** Takes one token for this principal or answers 429 with {@code Retry-After}. */
    public void acquire(Principal principal) {
        if (ratePerNano <= 0) {
            return;
        }
        if (buckets.size() > MAX_TRACKED) {
            buckets.clear();
        }
        long waitNanos = buckets.computeIfAbsent(principal.subject(), s -> new Bucket(burst)).take(ratePerNano, burst);
        if (waitNanos > 0) {
            long retryAfterSeconds = Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
            AUDIT.warn("rate-limited", "principal", principal.subject(), "outcome", "429",
                    "requestId", RequestId.current());
            throw new ApiException(Problem.of(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests",
                    "too many money-moving calls; retry after " + retryAfterSeconds + " s"),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(double tokens) {
            this.tokens = tokens;
        }

        /** Zero if a token was taken, else how long until one is available. */
        synchronized long take(double ratePerNano, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) ((1 - tokens) / ratePerNano);
        }
    }
}
