package dev.portbank.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 100; micros++) {
            histogram.record(micros);
        }

        assertThat(histogram.count()).isEqualTo(100);
        assertThat(histogram.percentile(50)).isEqualTo(50);
        assertThat(histogram.percentile(99)).isEqualTo(99);
        assertThat(histogram.percentile(100)).isEqualTo(100);
        assertThat(histogram.max()).isEqualTo(100);
    }

    @Test
    void largeValuesAreWithinOnePercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1_000; micros <= 1_000_000; micros += 1_000) {
            histogram.record(micros);
        }

        assertThat((double) histogram.percentile(50)).isCloseTo(500_000, within(5_000.0));
        assertThat((double) histogram.percentile(90)).isCloseTo(900_000, within(9_000.0));
        assertThat((double) histogram.percentile(99)).isCloseTo(990_000, within(9_900.0));
        assertThat(histogram.percentile(100)).isEqualTo(1_000_000);
    }

    @Test
    void everyValueFallsInABucketThatHoldsIt() {
        for (long value : new long[] {0, 1, 127, 128, 129, 255, 256, 257, 1_000, 65_535, 1L << 30, 123_456_789}) {
            int bucket = LatencyHistogram.bucketOf(value);
            assertThat(LatencyHistogram.highestValueIn(bucket)).as("bucket of %d", value).isGreaterThanOrEqualTo(value);
            if (bucket > 0) {
                assertThat(LatencyHistogram.highestValueIn(bucket - 1)).as("bucket below %d", value).isLessThan(value);
            }
        }
    }

    @Test
    void mergedHistogramsCountEverything() {
        LatencyHistogram first = new LatencyHistogram();
        LatencyHistogram second = new LatencyHistogram();
        first.record(10);
        second.record(20_000);
        second.record(30);

        first.add(second);

        assertThat(first.count()).isEqualTo(3);
        assertThat(first.max()).isEqualTo(20_000);
        assertThat(first.percentile(50)).isEqualTo(30);
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertThat(new LatencyHistogram().percentile(99)).isZero();
    }
}
