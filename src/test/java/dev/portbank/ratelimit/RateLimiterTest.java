package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.platform.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The token bucket, on a clock the test moves. */
class RateLimiterTest {
    private static final Principal ALICE = new Principal("alice", Set.of());
    private static final Principal BOB = new Principal("bob", Set.of());

    private final AtomicLong nanos = new AtomicLong(42);

    @Test
    void burstPassesThenTheRate() {
        RateLimiter limiter = limiter(1, 2);

        assertThat(allowed(limiter, ALICE, 3)).isEqualTo(2);
        advance(Duration.ofSeconds(1));
        assertThat(allowed(limiter, ALICE, 3)).isEqualTo(1);
    }

    @Test
    void refusalSaysWhenToRetryRoundedUpToSeconds() {
        RateLimiter limiter = limiter(1, 1);
        limiter.acquire(ALICE);
        advance(Duration.ofMillis(300));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> limiter.acquire(ALICE));

        assertThat(refused.problem().status()).isEqualTo(429);
        assertThat(refused.problem().slug()).isEqualTo("rate-limited");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void tokenComesBackAfterOneOverTheRate() {
        RateLimiter limiter = limiter(1, 1);
        limiter.acquire(ALICE);

        advance(Duration.ofMillis(999));
        assertThat(allowed(limiter, ALICE, 1)).isZero();
        advance(Duration.ofMillis(1));
        assertThat(allowed(limiter, ALICE, 1)).isEqualTo(1);
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBurst() {
        RateLimiter limiter = limiter(10, 5);
        advance(Duration.ofHours(1));

        assertThat(allowed(limiter, ALICE, 100)).isEqualTo(5);
    }

    @Test
    void principalsHaveSeparateBuckets() {
        RateLimiter limiter = limiter(1, 1);
        limiter.acquire(ALICE);

        assertThatCode(() -> limiter.acquire(BOB)).doesNotThrowAnyException();
    }

    @Test
    void forgettingIdlePrincipalsKeepsBusyOnesLimited() {
        RateLimiter limiter = limiter(1, 1);
        callOnceEach(limiter, "idle-", RateLimiter.MAX_TRACKED * 3 / 5);
        advance(Duration.ofSeconds(1));
        limiter.acquire(ALICE);

        callOnceEach(limiter, "busy-", RateLimiter.MAX_TRACKED / 2);

        assertThat(allowed(limiter, ALICE, 1)).isZero();
    }

    @Test
    void aPerMinuteLimitSaysWhatItLimitsAndWhenToRetry() {
        RateLimiter openings = new RateLimiter(new RateLimiter.Limit("open-account", "accounts opened", 2 / 60.0, 1),
                nanos::get);
        openings.acquire(ALICE);

        ApiException refused = catchThrowableOfType(ApiException.class, () -> openings.acquire(ALICE));

        assertThat(refused.problem().detail()).startsWith("too many accounts opened");
        assertThat(refused.headers()).containsEntry("Retry-After", "30");
    }

    @Test
    void zeroRateTurnsTheLimitOff() {
        assertThat(allowed(limiter(0, 1), ALICE, 1_000)).isEqualTo(1_000);
    }

    private RateLimiter limiter(int perSecond, int burst) {
        return new RateLimiter(new RateLimiter.Limit("move-money", "money-moving calls", perSecond, burst),
                nanos::get);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static void callOnceEach(RateLimiter limiter, String prefix, int principals) {
        IntStream.range(0, principals).forEach(i -> limiter.acquire(new Principal(prefix + i, Set.of())));
    }

    /** How many of {@code attempts} immediate calls get through. */
    private static long allowed(RateLimiter limiter, Principal principal, int attempts) {
        return IntStream.range(0, attempts).filter(i -> {
            try {
                limiter.acquire(principal);
                return true;
            } catch (ApiException e) {
                return false;
            }
        }).count();
    }
}
