package dev.portbank.transfer;

import dev.portbank.auth.MovementLimiter;
import dev.portbank.auth.Principal;
import dev.portbank.auth.Role;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.Json;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestId;
import dev.portbank.platform.Routes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /v1/transfers}, {@code /v1/deposits}, {@code /v1/withdrawals}: money-moving calls. Customers move money only
 * out of their own accounts; deposits and withdrawals need a teller.
 */
public final class TransferService implements HttpService {
    private static final EventLog AUDIT = EventLog.named("audit");

    private final TransferRepository transfers;
    private final CommittedMovements committed;
    private final MovementLimiter limiter;

    public TransferService(TransferRepository transfers, CommittedMovements committed, MovementLimiter limiter) {
        this.transfers = transfers;
        this.committed = committed;
        this.limiter = limiter;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/transfers", this::postTransfer)
                .any("/transfers", Routes.methodNotAllowed(Method.POST))
                .post("/transfers/batch", this::postBatch)
                .any("/transfers/batch", Routes.methodNotAllowed(Method.POST))
                .get("/transfers/{id}", this::getTransfer)
                .any("/transfers/{id}", Routes.methodNotAllowed(Method.GET))
                .post("/deposits", this::postDeposit)
                .any("/deposits", Routes.methodNotAllowed(Method.POST))
                .post("/withdrawals", this::postWithdrawal)
                .any("/withdrawals", Routes.methodNotAllowed(Method.POST));
    }

    private void postTransfer(ServerRequest request, ServerResponse response) {
        move(Transfer.Kind.TRANSFER, request, response);
    }

    private void postDeposit(ServerRequest request, ServerResponse response) {
        Principal.of(request).require(Role.TELLER, "a deposit");
        move(Transfer.Kind.DEPOSIT, request, response);
    }

    private void postWithdrawal(ServerRequest request, ServerResponse response) {
        Principal.of(request).require(Role.TELLER, "a withdrawal");
        move(Transfer.Kind.WITHDRAWAL, request, response);
    }

    private void postBatch(ServerRequest request, ServerResponse response) {
        Principal principal = Principal.of(request);
        limiter.acquire(principal);
        BatchRequest batch = BatchRequest.from(Json.readObject(request, BatchRequest.MAX_BODY_BYTES));
        Optional<String> owner = principal.mustOwnDebitedAccount()
                ? Optional.of(principal.subject()) : Optional.empty();
        BatchResult result;
        try (CommittedMovements.BalanceWriter balances = committed.begin()) {
            result = transfers.postBatch(principal.subject(), batch, owner);
            if (result instanceof BatchResult.Committed done) {
                balances.committed(done.balances());
            }
        }
        AUDIT.info("batch", "principal", principal.subject(), "action", "TRANSFER_BATCH",
                "target", batch.items().size() + " transfers", "outcome",
                result instanceof BatchResult.Committed ? "completed" : "rejected", "requestId", RequestId.current());
        switch (result) {
            case BatchResult.Committed committedBatch -> {
                if (committedBatch.replayed()) {
                    response.header(IdempotencyKey.REPLAYED, "true");
                }
                Json.send(response, Status.CREATED_201, Map.of("transfers", committedBatch.transfers()));
            }
            case BatchResult.Rejected rejected -> Json.sendProblem(response, Problem.of(
                    Status.UNPROCESSABLE_CONTENT_422, "batch-rejected", "Batch rejected",
                    rejected.refusals().size() + " of " + batch.items().size()
                            + " transfers were refused; nothing was moved",
                    rejected.refusals().stream().map(TransferService::itemError).toList()));
        }
    }

    /** One refused item in a {@code batch-rejected} problem's {@code errors}. */
    record ItemProblem(int index, UUID id, String type, String detail) {
    }

    private static ItemProblem itemError(BatchResult.RefusedItem refused) {
        return new ItemProblem(refused.index(), refused.id(), Problem.TYPE_BASE + refused.slug(), refused.detail());
    }

    private void getTransfer(ServerRequest request, ServerResponse response) {
        UUID id = Routes.uuidParam(request, "id", "transfer");
        Principal principal = Principal.of(request);
        Transfer transfer = transfers.find(id)
                .filter(found -> principal.canRead(found.fromOwner()) || principal.canRead(found.toOwner()))
                .map(TransferRepository.VisibleTransfer::transfer)
                .orElseThrow(() -> ApiException.notFound("transfer " + id));
        Json.send(response, Status.OK_200, transfer);
    }

    private void move(Transfer.Kind kind, ServerRequest request, ServerResponse response) {
        Principal principal = Principal.of(request);
        limiter.acquire(principal);
        String key = IdempotencyKey.from(request);
        MovementRequest movement = MovementRequest.from(kind, Json.readObject(request));
        Optional<String> owner = kind == Transfer.Kind.TRANSFER && principal.mustOwnDebitedAccount()
                ? Optional.of(principal.subject()) : Optional.empty();
        MovementResult result;
        try (CommittedMovements.BalanceWriter balances = committed.begin()) {
            result = transfers.post(principal.subject(), key, movement, owner);
            if (result instanceof MovementResult.Completed completed && !completed.replayed()) {
                balances.committed(completed.balances());
            }
        }
        audit(principal, movement, result);
        if (result.replayed()) {
            response.header(IdempotencyKey.REPLAYED, "true");
        }
        switch (result) {
            case MovementResult.Completed completed -> {
                response.header(HeaderNames.LOCATION, "/v1/transfers/" + completed.transfer().id());
                Json.send(response, Status.CREATED_201, completed.transfer());
            }
            case MovementResult.Refused refused -> Json.sendProblem(response, Problem.of(refused.reason().status(),
                    refused.reason().slug(), refused.reason().title(), refused.reason().detail()));
            case MovementResult.KeyReused reused -> Json.sendProblem(response, Problem.of(
                    Status.UNPROCESSABLE_CONTENT_422, "idempotency-key-reused", "Idempotency-Key reused",
                    "this Idempotency-Key was used with a different request; use a new key for a new movement"));
        }
    }

    private static void audit(Principal principal, MovementRequest movement, MovementResult result) {
        String outcome = switch (result) {
            case MovementResult.Completed completed -> completed.replayed() ? "replayed" : "completed";
            case MovementResult.Refused refused -> refused.reason().slug();
            case MovementResult.KeyReused reused -> "idempotency-key-reused";
        };
        AUDIT.info("movement", "principal", principal.subject(), "action", movement.kind().name(),
                "target", movement.from() + "->" + movement.to(), "amount", movement.amount(),
                "currency", movement.currency(), "outcome", outcome, "requestId", RequestId.current());
    }
}
