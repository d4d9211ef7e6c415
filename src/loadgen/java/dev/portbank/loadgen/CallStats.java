package dev.portbank.loadgen;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one client saw of one call type: latencies and completed work inside the measured window, and the status of
 * every answer, warm-up included (a 5xx at any time fails the run). Not thread-safe; merged at the end.
 */
final class CallStats {
    /** Microseconds to three significant digits (0.1%), resizing itself for whatever the longest call takes. */
    private final Histogram latencies = new Histogram(3);
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private long measuredCalls;
    private long measuredCompleted;
    private long unanswered;

    void recordAnswer(Workload.Outcome outcome, boolean measured, long micros) {
        statuses.merge(outcome.status(), 1L, Long::sum);
        if (measured) {
            latencies.recordValue(Math.max(0, micros));
            measuredCalls++;
            measuredCompleted += outcome.completed();
        }
    }

    void recordNoAnswer() {
        unanswered++;
    }

    void add(CallStats other) {
        latencies.add(other.latencies);
        other.statuses.forEach((status, count) -> statuses.merge(status, count, Long::sum));
        measuredCalls += other.measuredCalls;
        measuredCompleted += other.measuredCompleted;
        unanswered += other.unanswered;
    }

    Histogram latencies() {
        return latencies;
    }

    Map<Integer, Long> statuses() {
        return statuses;
    }

    long measuredCalls() {
        return measuredCalls;
    }

    long measuredCompleted() {
        return measuredCompleted;
    }

    long unanswered() {
        return unanswered;
    }

    long serverErrors() {
        return statuses.entrySet().stream().filter(entry -> entry.getKey() >= 500)
                .mapToLong(Map.Entry::getValue).sum();
    }
}
