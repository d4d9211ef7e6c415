package dev.portbank.transfer;

import dev.portbank.auth.Principal;
import dev.portbank.ledger.MovementKind;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.IdempotencyKey;
import dev.portbank.platform.Json;
import dev.portbank.platform.Problem;
import dev.portbank.platform.Routes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;
import java.util.UUID;

/**
 * {@code /v1/transfers}, {@code /v1/deposits}, {@code /v1/withdrawals}: the HTTP face of money movements. Handlers
 * read the request and map the result; {@link MovementService} owns everything in between.
 */
public final class TransferService implements HttpService {
    private final MovementService movements;
    private final TransferRepository transfers;

    public TransferService(MovementService movements, TransferRepository transfers) {
        this.movements = movements;
        this.transfers = transfers;
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
        move(MovementKind.TRANSFER, request, response);
    }

    private void postDeposit(ServerRequest request, ServerResponse response) {
        move(MovementKind.DEPOSIT, request, response);
    }

    private void postWithdrawal(ServerRequest request, ServerResponse response) {
        move(MovementKind.WITHDRAWAL, request, response);
    }

    private void move(MovementKind kind, ServerRequest request, ServerResponse response) {
        MovementResult result = movements.move(Principal.of(request), kind, IdempotencyKey.of(request),
                () -> Json.readObject(request));
        if (result.replayed()) {
            response.header(IdempotencyKey.REPLAYED, "true");
        }
        switch (result) {
            case MovementResult.Completed completed -> {
                response.header(HeaderNames.LOCATION, "/v1/transfers/" + completed.transfer().id());
                Json.send(response, Status.CREATED_201, completed.transfer());
            }
            case MovementResult.Refused refused -> Json.sendProblem(response, refused.reason().problem());
            case MovementResult.KeyReused reused -> Json.sendProblem(response, IdempotencyKey.reused(
                    "this Idempotency-Key was used with a different request; use a new key for a new movement"));
        }
    }

    private void postBatch(ServerRequest request, ServerResponse response) {
        BatchResult result = movements.moveBatch(Principal.of(request),
                () -> Json.readObject(request, BatchRequest.MAX_BODY_BYTES));
        switch (result) {
            case BatchResult.Committed committed -> {
                if (committed.replayed()) {
                    response.header(IdempotencyKey.REPLAYED, "true");
                }
                Json.send(response, Status.CREATED_201, Map.of("transfers", committed.transfers()));
            }
            case BatchResult.Rejected rejected -> Json.sendProblem(response, Problem.of(
                    Status.UNPROCESSABLE_CONTENT_422, "batch-rejected", "Batch rejected",
                    rejected.refusals().size() + " of " + rejected.items()
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
                .filter(found -> principal.subject().equals(found.fromOwner())
                        || principal.subject().equals(found.toOwner())
                        || principal.mayRead(found.fromOwner(), "read transfer", id))
                .map(TransferRepository.VisibleTransfer::transfer)
                .orElseThrow(() -> ApiException.notFound("transfer " + id));
        Json.send(response, Status.OK_200, transfer);
    }
}
