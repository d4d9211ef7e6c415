package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.config.Settings;
import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code RATE_LIMIT_SHARED=true} costs: requests per second of a read-limited call (a 404 behind the filters,
 * no database) on two instances side by side, one with per-instance buckets and one with buckets in Redis, in
 * alternating rounds of the same run, so that a noisy machine shows in both. The read limit is set high enough
 * that it charges every call and refuses none.
 */
class SharedRateLimitCostIT {
    private static final int CLIENTS = 16;
    private static final Duration ROUND = Duration.ofSeconds(4);
    private static final int ROUNDS = 3;

    @Test
    void sharedBucketsCostARedisRoundTripPerCall() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TestRedis redis = TestRedis.start()) {
            Map<String, String> limited = Map.of("REDIS_URL", redis.url(), "RATE_LIMIT_READS_PER_SECOND", "1000000",
                    "RATE_LIMIT_READS_BURST", "1000000");
            Map<String, String> shared = new java.util.HashMap<>(limited);
            shared.put("RATE_LIMIT_SHARED", "true");
            try (TestServer local = TestServer.start(database, limited);
                 TestServer sharing = TestServer.start(database, shared);
                 ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    tokens.add(TestServer.customer("cost-" + i));
                }
                measure(local.api(), tokens, clients, Duration.ofSeconds(2)); // warm-up, both JITs
                measure(sharing.api(), tokens, clients, Duration.ofSeconds(2));
                double localTotal = 0;
                double sharedTotal = 0;
                for (int round = 1; round <= ROUNDS; round++) {
                    double perInstance = measure(local.api(), tokens, clients, ROUND);
                    double inRedis = measure(sharing.api(), tokens, clients, ROUND);
                    localTotal += perInstance;
                    sharedTotal += inRedis;
                    System.out.printf(Locale.ROOT, "shared rate limit cost, round %d: per-instance buckets %.0f "
                            + "req/s, buckets in Redis %.0f req/s (%.2f)%n", round, perInstance, inRedis,
                            inRedis / perInstance);
                }
                System.out.printf(Locale.ROOT, "shared rate limit cost: %d clients, %d rounds of %d s; buckets in "
                        + "Redis serve %.2f of the per-instance rate%n", CLIENTS, ROUNDS, ROUND.toSeconds(),
                        sharedTotal / localTotal);

                assertThat(localTotal).isPositive();
                assertThat(sharedTotal).isPositive();
                printCallLatency(redis);
                try (RedisClient client = redis.client()) {
                    assertThat(client.keys("portbank:rate:read:*")).as("the shared instance's buckets")
                            .hasSize(CLIENTS);
                }
            }
        }
    }

    /** One limiter call, alone on one thread: the median and p99 in microseconds, per instance and in Redis. */
    private static void printCallLatency(TestRedis redis) {
        RateLimiter.Limit limit = new RateLimiter.Limit("latency", "calls", 1_000_000, 1_000_000);
        try (RedisBuckets buckets = RedisBuckets.attach(Settings.load(Map.of("REDIS_URL", redis.url(),
                "RATE_LIMIT_SHARED", "true"))).orElseThrow()) {
            long[] local = callNanos(new RateLimiter(limit));
            long[] shared = callNanos(new RateLimiter(limit, Optional.of(buckets)));
            System.out.printf(Locale.ROOT, "shared rate limit cost: one limiter call, median %.1f us per instance, "
                    + "%.1f us in Redis; p99 %.1f us and %.1f us%n", local[local.length / 2] / 1000.0,
                    shared[shared.length / 2] / 1000.0, local[local.length * 99 / 100] / 1000.0,
                    shared[shared.length * 99 / 100] / 1000.0);
        }
    }

    private static long[] callNanos(RateLimiter limiter) {
        Principal principal = new Principal("latency", Set.of());
        long[] nanos = new long[5_000];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            limiter.acquire(principal);
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos, 1_000, nanos.length); // the first thousand warm up
        return java.util.Arrays.copyOfRange(nanos, 1_000, nanos.length);
    }

    /** Requests per second: every client reads an unknown route with its own token until the round ends. */
    private static double measure(Api api, List<String> tokens, ExecutorService clients, Duration round)
            throws Exception {
        long end = System.nanoTime() + round.toNanos();
        List<Future<Long>> counts = new ArrayList<>();
        for (String token : tokens) {
            counts.add(clients.submit(() -> {
                long answered = 0;
                while (System.nanoTime() < end) {
                    assertThat(api.get("/v1/no-such-resource", token).status()).isEqualTo(404);
                    answered++;
                }
                return answered;
            }));
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        return total / (double) round.toSeconds();
    }
}
