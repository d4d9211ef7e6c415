package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.config.InvalidSettingException;
import dev.portbank.config.Settings;
import dev.portbank.platform.ApiException;
import dev.portbank.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code RATE_LIMIT_SHARED=true}: two limiters, each with its own Redis connections as two instances have, charge
 * one bucket per principal; without Redis each falls back to its own buckets, and never fails otherwise.
 */
class SharedRateLimitTest {
    /** Five calls, then one per 100 s: nothing refills while the test runs. */
    private static final RateLimiter.Limit FIVE = new RateLimiter.Limit("read", "reads", 0.01, 5);
    private static TestRedis redis;
    private final List<RedisBuckets> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @org.junit.jupiter.api.AfterEach
    void closeBuckets() {
        opened.forEach(RedisBuckets::close);
    }

    @Test
    void twoInstancesChargeOneBucketPerPrincipal() {
        RateLimiter first = instance();
        RateLimiter second = instance();
        Principal alice = principal();

        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += allowed(i % 2 == 0 ? first : second, alice);
        }

        assertThat(allowed).as("calls allowed across both instances").isEqualTo(5);
        assertThat(allowed(second, principal())).as("another principal has a bucket of its own").isEqualTo(1);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> first.acquire(alice));
        assertThat(refused.problem().status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().get("Retry-After"))).as("Redis's wait, in seconds")
                .isBetween(90L, 100L);
    }

    @Test
    void perInstanceBucketsGiveEachInstanceTheWholeBurst() {
        RateLimiter first = new RateLimiter(FIVE);
        RateLimiter second = new RateLimiter(FIVE);
        Principal alice = principal();

        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += allowed(i % 2 == 0 ? first : second, alice);
        }

        assertThat(allowed).as("the same calls without Redis: twice the burst").isEqualTo(10);
    }

    @Test
    void aBatchBiggerThanTheBurstPassesOnceAndLeavesTheBucketInDebt() {
        RateLimiter limiter = instance();
        Principal alice = principal();

        limiter.acquire(alice, 8);

        assertThat(allowed(instance(), alice)).isZero();
    }

    @Test
    void withoutRedisEachInstanceLimitsAloneAndNothingFails() {
        try (TestRedis gone = TestRedis.start()) {
            RateLimiter limiter = instance(gone.url());
            Principal alice = principal();
            assertThat(allowed(limiter, alice)).isEqualTo(1);
            gone.stop();

            int allowed = 0;
            for (int i = 0; i < 10; i++) {
                allowed += allowed(limiter, alice); // anything but a 429 would throw here
            }

            assertThat(allowed).as("the instance's own bucket, full at first").isEqualTo(5);
        }
    }

    @Test
    void aFrozenRedisCostsOneTimeoutThenIsSkippedForASecond() {
        try (TestRedis frozen = TestRedis.start()) {
            RateLimiter limiter = instance(frozen.url());
            Principal alice = principal();
            assertThat(allowed(limiter, alice)).isEqualTo(1);
            frozen.pause();
            try {
                long start = System.nanoTime();
                assertThat(allowed(limiter, alice)).as("the instance's own bucket").isEqualTo(1);
                long firstMillis = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                assertThat(allowed(limiter, alice)).isEqualTo(1);
                long secondMillis = (System.nanoTime() - start) / 1_000_000;

                assertThat(firstMillis).as("one REDIS_TIMEOUT_MILLIS (250), then the local decision")
                        .isBetween(200L, 2_000L);
                assertThat(secondMillis).as("Redis skipped right after a failure").isLessThan(100L);
            } finally {
                frozen.resume();
            }
        }
    }

    @Test
    void sharedLimitsNeedRedis() {
        assertThatThrownBy(() -> Settings.load(Map.of("RATE_LIMIT_SHARED", "true")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("RATE_LIMIT_SHARED=true").hasMessageContaining("REDIS_URL");
        assertThat(RedisBuckets.attach(Settings.load(Map.of("REDIS_URL", redis.url())))).isEmpty();
    }

    private RateLimiter instance() {
        return instance(redis.url());
    }

    private RateLimiter instance(String redisUrl) {
        Settings settings = Settings.load(Map.of("REDIS_URL", redisUrl, "RATE_LIMIT_SHARED", "true"));
        RedisBuckets buckets = RedisBuckets.attach(settings).orElseThrow();
        opened.add(buckets);
        return new RateLimiter(FIVE, Optional.of(buckets));
    }

    private static Principal principal() {
        return new Principal("p-" + UUID.randomUUID(), Set.of());
    }

    /** 1 if the call was allowed, 0 if refused with 429. */
    private static int allowed(RateLimiter limiter, Principal principal) {
        try {
            limiter.acquire(principal);
            return 1;
        } catch (ApiException e) {
            assertThat(e.problem().status()).isEqualTo(429);
            return 0;
        }
    }
}
