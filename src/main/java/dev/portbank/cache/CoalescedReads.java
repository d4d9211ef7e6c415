package dev.portbank.cache;

import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Metrics;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads that arrive together share one Redis round trip, as movements share one commit: while a worker's
 * {@code MGET} is on the wire, the reads that arrive queue, and the next {@code MGET} takes all of them. There is no
 * timer: a lone read goes at once. Under load Redis runs one command for dozens of reads, and PortBank writes and
 * reads its socket once for them, instead of once each.
 */
final class CoalescedReads implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CoalescedReads.class.getName());
    /** The most keys one {@code MGET} asks for. */
    static final int MAX_KEYS = 128;

    private final RedisClient redis;
    private final Duration wait;
    private final BlockingQueue<Read> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final DistributionSummary groupSize;
    private volatile boolean closed;

    private record Read(String key, CompletableFuture<String> value) {
    }

    /**
     * @param timeout a command's timeout (the client's socket timeout): a read waits at most twice that, its
     *                queueing behind one round trip included
     * @param workers how many {@code MGET}s may be on the wire at once
     */
    CoalescedReads(RedisClient redis, Duration timeout, int workers) {
        this.redis = redis;
        this.wait = timeout.multipliedBy(2);
        this.groupSize = Metrics.globalRegistry().getOrCreate(DistributionSummary.builder("portbank.cache.read.group.size")
                .description("balance reads answered by one Redis MGET"));
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name("redis-reads-" + i).start(this::run));
        }
    }

    /**
     * The value stored at {@code key}, or null when there is none.
     *
     * @throws RuntimeException what the round trip threw, or a timeout: Redis trouble, for the caller's breaker
     */
    String get(String key) {
        if (closed) {
            throw new IllegalStateException("the Redis reader is closed");
        }
        Read read = new Read(key, new CompletableFuture<>());
        queue.add(read);
        if (closed && queue.remove(read)) { // closed while it was being queued: nobody would take it
            throw new IllegalStateException("the Redis reader is closed");
        }
        try {
            return read.value().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            read.value().cancel(false);
            throw new IllegalStateException("Redis did not answer a read within " + wait.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            read.value().cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Redis", e);
        }
    }

    private void run() {
        List<Read> reads = new ArrayList<>(MAX_KEYS);
        while (!closed) {
            reads.clear();
            try {
                reads.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(reads, MAX_KEYS - 1);
            reads.removeIf(read -> read.value().isDone()); // given up on while queued
            if (reads.isEmpty()) {
                continue;
            }
            try {
                groupSize.record(reads.size());
                List<String> values = redis.mget(reads.stream().map(Read::key).toArray(String[]::new));
                for (int i = 0; i < reads.size(); i++) {
                    reads.get(i).value().complete(values.get(i));
                }
            } catch (Throwable e) { // whatever it was, these callers hear of it now, and the worker goes on
                reads.forEach(read -> read.value().completeExceptionally(e));
                if (!(e instanceof RuntimeException)) {
                    LOG.log(Level.WARNING, "a Redis read failed unexpectedly", e);
                }
            }
        }
        failQueued();
    }

    private void failQueued() {
        for (Read read = queue.poll(); read != null; read = queue.poll()) {
            read.value().completeExceptionally(new IllegalStateException("the Redis reader is closed"));
        }
    }

    /** Stops the workers; reads still queued fail (their callers fall back to PostgreSQL). */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failQueued();
    }
}
