package dev.portbank.loadgen;

/**
 * Latencies in microseconds, in log-linear buckets: exact below 128 µs, then 128 buckets per power of two, so a
 * percentile is within 1% of the true value and memory stays constant however long the run. Not thread-safe: each
 * client records into its own and they are merged at the end.
 */
final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values from 2^40 µs (about 12 days) up share the last bucket. */
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = SUB_BUCKETS * (MAX_EXPONENT - SUB_BUCKET_BITS + 2);

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(long micros) {
        long value = Math.max(0, micros);
        counts[bucketOf(value)]++;
        total++;
        max = Math.max(max, value);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The smallest recorded value that {@code percentile}% of the recordings do not exceed (0 when empty). */
    long percentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return Math.min(highestValueIn(bucket), max);
            }
        }
        return max;
    }

    static int bucketOf(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = Math.min(63 - Long.numberOfLeadingZeros(value), MAX_EXPONENT);
        int shift = exponent - SUB_BUCKET_BITS;
        int subBucket = (int) Math.min((value >>> shift) - SUB_BUCKETS, SUB_BUCKETS - 1);
        return SUB_BUCKETS * (shift + 1) + subBucket;
    }

    static long highestValueIn(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int shift = bucket / SUB_BUCKETS - 1;
        long subBucket = bucket % SUB_BUCKETS;
        return ((SUB_BUCKETS + subBucket + 1) << shift) - 1;
    }
}
