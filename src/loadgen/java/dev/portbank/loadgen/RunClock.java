package dev.portbank.loadgen;

import java.time.Duration;

/** The warm-up, then the measured window; a call counts when it starts inside the window. */
record RunClock(long startNanos, long warmupNanos, long durationNanos) {

    static RunClock startingNow(Duration warmup, Duration duration) {
        return new RunClock(System.nanoTime(), warmup.toNanos(), duration.toNanos());
    }

    boolean isMeasuring(long nanoTime) {
        return nanoTime - startNanos >= warmupNanos;
    }

    boolean isOver(long nanoTime) {
        return nanoTime - startNanos >= warmupNanos + durationNanos;
    }
}
