package dev.portbank.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What a client keeps per call type: HdrHistogram latencies inside the window, every status, merged at the end. */
class CallStatsTest {
    private static final Workload.Outcome CREATED = new Workload.Outcome(201, 1);

    @Test
    void percentilesAreWithinATenthOfAPercent() {
        CallStats stats = new CallStats();
        for (long micros = 1_000; micros <= 1_000_000; micros += 1_000) {
            stats.recordAnswer(CREATED, true, micros);
        }

        assertThat((double) stats.latencies().getValueAtPercentile(50)).isCloseTo(500_000, within(500.0));
        assertThat((double) stats.latencies().getValueAtPercentile(99)).isCloseTo(990_000, within(990.0));
        assertThat((double) stats.latencies().getMaxValue()).isCloseTo(1_000_000, within(1_000.0));
        assertThat(Report.Latency.of(stats.latencies()).p90()).isCloseTo(900.0, within(0.9));
    }

    @Test
    void warmUpCallsCountTheirStatusButNotTheirLatency() {
        CallStats stats = new CallStats();
        stats.recordAnswer(new Workload.Outcome(503, 0), false, 10);
        stats.recordAnswer(CREATED, true, 20);

        assertThat(stats.latencies().getTotalCount()).isEqualTo(1);
        assertThat(stats.measuredCalls()).isEqualTo(1);
        assertThat(stats.statuses()).containsEntry(201, 1L).containsEntry(503, 1L);
        assertThat(stats.serverErrors()).isEqualTo(1);
    }

    @Test
    void mergedStatsCountEverything() {
        CallStats first = new CallStats();
        CallStats second = new CallStats();
        first.recordAnswer(CREATED, true, 10);
        second.recordAnswer(CREATED, true, 20_000);
        second.recordAnswer(CREATED, true, 30);
        second.recordNoAnswer();

        first.add(second);

        assertThat(first.latencies().getTotalCount()).isEqualTo(3);
        assertThat(first.latencies().getValueAtPercentile(50)).isEqualTo(30);
        assertThat((double) first.latencies().getMaxValue()).isCloseTo(20_000, within(20.0));
        assertThat(first.measuredCompleted()).isEqualTo(3);
        assertThat(first.unanswered()).isEqualTo(1);
    }

    @Test
    void noCallsReportZero() {
        assertThat(Report.Latency.of(new CallStats().latencies())).isEqualTo(new Report.Latency(0, 0, 0, 0));
    }
}
