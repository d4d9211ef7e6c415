package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.config.Settings;
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
class MovementLimiterTest {
    private static final Principal ALICE = new Principal("alice", Set.of());
    private static final Principal BOB = new Principal("bob", Set.of());

    private final AtomicLong nanos = new AtomicLong(42);

    @Test
    void burstPassesThenTheRate() {
        MovementLimiter limiter = limiter(1, 2);

        assertThat(allowed(limiter, ALICE, 3)).isEqualTo(2);
        advance(Duration.ofSeconds(1));
        assertThat(allowed(limiter, ALICE, 3)).isEqualTo(1);
    }

    @Test
    void refusalSaysWhenToRetryRoundedUpToSeconds() {
        MovementLimiter limiter = limiter(1, 1);
        limiter.acquire(ALICE);
        advance(Duration.ofMillis(300));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> limiter.acquire(ALICE));

        assertThat(refused.problem().status()).isEqualTo(429);
        assertThat(refused.problem().slug()).isEqualTo("rate-limited");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void tokenComesBackAfterOneOverTheRate() {
        MovementLimiter limiter = limiter(1, 1);
        limiter.acquire(ALICE);

        advance(Duration.ofMillis(999));
        assertThat(allowed(limiter, ALICE, 1)).isZero();
        advance(Duration.ofMillis(1));
        assertThat(allowed(limiter, ALICE, 1)).isEqualTo(1);
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBurst() {
        MovementLimiter limiter = limiter(10, 5);
        advance(Duration.ofHours(1));

        assertThat(allowed(limiter, ALICE, 100)).isEqualTo(5);
    }

    @Test
    void principalsHaveSeparateBuckets() {
        MovementLimiter limiter = limiter(1, 1);
        limiter.acquire(ALICE);

        assertThatCode(() -> limiter.acquire(BOB)).doesNotThrowAnyException();
    }

    @Test
    void forgettingIdlePrincipalsKeepsBusyOnesLimited() {
        MovementLimiter limiter = limiter(1, 1);
        callOnceEach(limiter, "idle-", MovementLimiter.MAX_TRACKED * 3 / 5);
        advance(Duration.ofSeconds(1));
        limiter.acquire(ALICE);

        callOnceEach(limiter, "busy-", MovementLimiter.MAX_TRACKED / 2);

        assertThat(allowed(limiter, ALICE, 1)).isZero();
    }

    @Test
    void zeroRateTurnsTheLimitOff() {
        assertThat(allowed(limiter(0, 1), ALICE, 1_000)).isEqualTo(1_000);
    }

    private MovementLimiter limiter(int perSecond, int burst) {
        return new MovementLimiter(new Settings.Limits(perSecond, burst), nanos::get);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static void callOnceEach(MovementLimiter limiter, String prefix, int principals) {
        IntStream.range(0, principals).forEach(i -> limiter.acquire(new Principal(prefix + i, Set.of())));
    }

    /** How many of {@code attempts} immediate calls get through. */
    private static long allowed(MovementLimiter limiter, Principal principal, int attempts) {
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
