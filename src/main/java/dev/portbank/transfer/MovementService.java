package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.ratelimit.RateLimiter;
import dev.portbank.auth.Principal;
import dev.portbank.auth.Role;
import dev.portbank.ledger.MovementKind;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.IdempotencyKey;
import dev.portbank.platform.RequestId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Owns the sequence of every money movement, single or batched: role, rate limit, key, validation, owner rule,
 * posting, cache, audit. Single movements are posted in groups ({@link GroupCommitter}); a batch is its own
 * all-or-nothing group. Both go through the same {@link PostingPlan}, so they cannot drift apart.
 */
public final class MovementService implements AutoCloseable {
    private static final EventLog AUDIT = EventLog.named("audit");
    static final int AUDITED_ITEMS = 20;

    private final TransferRepository transfers;
    private final CommittedMovements committed;
    private final RateLimiter limiter;
    private final GroupCommitter groups;

    /**
     * @param groupMax     the most single movements posted in one transaction
     * @param groupWorkers how many groups may be in flight at once
     */
    public MovementService(TransferRepository transfers, CommittedMovements committed, RateLimiter limiter,
                           int groupMax, int groupWorkers) {
        this.transfers = transfers;
        this.committed = committed;
        this.limiter = limiter;
        this.groups = new GroupCommitter(group -> post(group, false).results(), groupMax, groupWorkers);
    }

    /**
     * One transfer, deposit or withdrawal. {@code body} is read only once the caller may move money at all.
     */
    public MovementResult move(Principal principal, MovementKind kind, Optional<String> idempotencyKey,
                               Supplier<JsonNode> body) {
        if (kind != MovementKind.TRANSFER) {
            principal.require(Role.TELLER, kind == MovementKind.DEPOSIT ? "a deposit" : "a withdrawal");
        }
        limiter.acquire(principal);
        String key = IdempotencyKey.parse(idempotencyKey);
        MovementRequest movement = MovementRequest.from(kind, body.get());
        boolean debitMustBeOwn = kind == MovementKind.TRANSFER && principal.mustOwnDebitedAccount();
        MovementResult result = groups.post(new Posting(principal.subject(), key, movement, debitMustBeOwn));
        AUDIT.info("movement", "principal", principal.subject(), "action", kind.name(),
                "target", movement.from() + "->" + movement.to(), "amount", movement.amount(),
                "currency", movement.currency(), "outcome", auditOutcome(result), "requestId", RequestId.current());
        return result;
    }

    /**
     * A batch: validated whole, charged one rate-limit token per item, refused before any lock when it debits an
     * account the caller does not own, then posted all or nothing.
     */
    public BatchResult moveBatch(Principal principal, Supplier<JsonNode> body) {
        limiter.acquire(principal);
        BatchRequest batch = BatchRequest.from(body.get());
        limiter.acquire(principal, batch.items().size() - 1);
        boolean debitMustBeOwn = principal.mustOwnDebitedAccount();
        BatchResult result = refusedBeforePosting(principal, batch, debitMustBeOwn)
                .orElseGet(() -> postBatch(principal, batch, debitMustBeOwn));
        AUDIT.info("batch", "principal", principal.subject(), "action", "TRANSFER_BATCH",
                "target", batch.items().size() + " transfers", "outcome",
                result instanceof BatchResult.Committed ? "completed" : "rejected",
                "total", batch.items().stream().mapToLong(item -> item.transfer().amount()).sum(),
                "items", auditItems(batch.items()), "requestId", RequestId.current());
        return result;
    }

    /** Same-account items, and items debiting accounts the caller does not own: found without taking a lock. */
    private Optional<BatchResult> refusedBeforePosting(Principal principal, BatchRequest batch,
                                                       boolean debitMustBeOwn) {
        List<BatchRequest.Item> items = batch.items();
        Set<UUID> owned = debitMustBeOwn
                ? transfers.ownedBy(principal.subject(), items.stream().map(item -> item.transfer().from()).toList())
                : Set.of();
        List<BatchResult.RefusedItem> refusals = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            MovementRequest transfer = items.get(i).transfer();
            if (transfer.sameAccount()) {
                refusals.add(new BatchResult.RefusedItem(i, items.get(i).id(), MovementRequest.SAME_ACCOUNT.slug(),
                        MovementRequest.SAME_ACCOUNT.detail()));
            } else if (debitMustBeOwn && !owned.contains(transfer.from())) {
                refusals.add(refusal(i, items.get(i).id(), Outcome.ACCOUNT_NOT_FOUND));
            }
        }
        return refusals.isEmpty() ? Optional.empty() : Optional.of(new BatchResult.Rejected(refusals, items.size()));
    }

    private BatchResult postBatch(Principal principal, BatchRequest batch, boolean debitMustBeOwn) {
        List<Posting> postings = batch.items().stream().map(item -> new Posting(principal.subject(),
                item.id().toString(), item.transfer(), debitMustBeOwn)).toList();
        PostingPlan plan = post(postings, true);
        List<BatchResult.RefusedItem> refusals = new ArrayList<>();
        List<Transfer> moved = new ArrayList<>();
        boolean allReplayed = true;
        for (int i = 0; i < plan.results().size(); i++) {
            UUID id = batch.items().get(i).id();
            switch (plan.results().get(i)) {
                case MovementResult.Completed completed -> {
                    moved.add(completed.transfer());
                    allReplayed &= completed.replayed();
                }
                case MovementResult.Refused refused -> refusals.add(refusal(i, id, refused.reason()));
                case MovementResult.KeyReused reused -> refusals.add(new BatchResult.RefusedItem(i, id,
                        MovementResult.KeyReused.SLUG, "this item's id was used before with a different transfer"));
            }
        }
        return refusals.isEmpty() ? new BatchResult.Committed(moved, allReplayed)
                : new BatchResult.Rejected(refusals, postings.size());
    }

    /** Posts a group; the cache hears of its balances (or that they are unknown) before anyone is answered. */
    private PostingPlan post(List<Posting> postings, boolean allOrNothing) {
        try (CommittedMovements.BalanceWriter balances = committed.begin()) {
            PostingPlan plan;
            try {
                plan = transfers.post(postings, allOrNothing);
            } catch (OutcomeUnknownException e) {
                balances.unknown();
                throw e;
            }
            if (!plan.writesNothing() && (!allOrNothing || plan.allCompleted())) {
                balances.committed(plan.balances());
            }
            return plan;
        }
    }

    private static BatchResult.RefusedItem refusal(int index, UUID id, Outcome outcome) {
        return new BatchResult.RefusedItem(index, id, outcome.slug(), outcome.detail());
    }

    private static String auditOutcome(MovementResult result) {
        return switch (result) {
            case MovementResult.Completed completed -> completed.replayed() ? "replayed" : "completed";
            case MovementResult.Refused refused -> refused.reason().slug();
            case MovementResult.KeyReused reused -> MovementResult.KeyReused.SLUG;
        };
    }

    /**
     * The first {@link #AUDITED_ITEMS} items in full, then how many more: the line stays short (a few KB) for the
     * largest batch, and the ledger holds every item anyway.
     */
    static String auditItems(List<BatchRequest.Item> items) {
        String listed = items.stream().limit(AUDITED_ITEMS).map(MovementService::auditItem)
                .collect(Collectors.joining(","));
        return items.size() > AUDITED_ITEMS ? listed + ",+" + (items.size() - AUDITED_ITEMS) + " more" : listed;
    }

    private static String auditItem(BatchRequest.Item item) {
        MovementRequest transfer = item.transfer();
        return item.id() + ":" + transfer.from() + "->" + transfer.to() + ":" + transfer.amount() + " "
                + transfer.currency();
    }

    /** Posts what is still queued, then stops. */
    @Override
    public void close() {
        groups.close();
    }
}
