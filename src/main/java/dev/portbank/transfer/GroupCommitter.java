package dev.portbank.transfer;

import dev.portbank.platform.ApiException;
import dev.portbank.platform.Problem;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Group commit for single movements. Requests queue their postings; each worker takes everything queued (up to
 * {@code maxGroup}) and posts it as one transaction, so while one group commits the next one gathers. A lone request
 * waits for no timer: an idle worker takes it at once. Nobody is answered before their group has committed.
 */
final class GroupCommitter implements AutoCloseable {
    /** Longer than any statement may run; past it the client is told to retry with its key. */
    private static final long ANSWER_WAIT_SECONDS = 60;

    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Function<List<Posting>, List<MovementResult>> postGroup;
    private final int maxGroup;
    private final List<Thread> workers = new ArrayList<>();
    private final DistributionSummary groupSizes;
    private final Counter groups;
    private volatile boolean closed;

    private record Queued(Posting posting, CompletableFuture<MovementResult> answer) {
    }

    /**
     * @param postGroup posts a group and answers one result per posting, in order
     * @param maxGroup  the most postings in one transaction
     * @param workers   how many groups may be in flight at once
     */
    GroupCommitter(Function<List<Posting>, List<MovementResult>> postGroup, int maxGroup, int workers) {
        this.postGroup = postGroup;
        this.maxGroup = maxGroup;
        MeterRegistry registry = Metrics.globalRegistry();
        this.groupSizes = registry.getOrCreate(DistributionSummary.builder("portbank.posting.group.size")
                .description("movements posted together in one transaction"));
        this.groups = registry.getOrCreate(Counter.builder("portbank.posting.groups")
                .description("transactions that posted a group of single movements"));
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name("posting-" + i).start(this::work));
        }
    }

    /** Queues one posting and waits for its group to commit. */
    MovementResult post(Posting posting) {
        if (closed) {
            // Only a request that outlived the shutdown drain gets here; another instance can take its retry.
            throw new ApiException(Problem.of(Status.SERVICE_UNAVAILABLE_503, "shutting-down", "Shutting down",
                    "this instance is shutting down; retry with the same Idempotency-Key"), Map.of("Retry-After", "1"));
        }
        CompletableFuture<MovementResult> answer = new CompletableFuture<>();
        queue.add(new Queued(posting, answer));
        try {
            return answer.get(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new IllegalStateException("posting failed", e.getCause());
        } catch (TimeoutException e) {
            throw new OutcomeUnknownException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutcomeUnknownException(e);
        }
    }

    private void work() {
        List<Queued> group = new ArrayList<>(maxGroup);
        while (!closed || !queue.isEmpty()) {
            try {
                Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                post(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void post(List<Queued> group) {
        groups.increment();
        groupSizes.record(group.size());
        try {
            List<MovementResult> results = postGroup.apply(group.stream().map(Queued::posting).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer.complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            group.forEach(queued -> queued.answer.completeExceptionally(e));
        }
    }

    /** Posts what is queued, then stops the workers. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(ANSWER_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
