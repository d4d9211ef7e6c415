package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.ledger.MovementKind;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestValidator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/transfers/batch}: up to 1,000 transfers that commit all or nothing. Each item carries its own
 * {@code id}, its idempotency key: sending the same batch again moves nothing and answers the same transfers.
 */
public record BatchRequest(List<Item> items) {
    public static final int MAX_ITEMS = 1_000;
    /** Large enough for 1,000 items with full references. */
    public static final int MAX_BODY_BYTES = 512 * 1024;

    /** One transfer of the batch and its client-chosen id. */
    public record Item(UUID id, MovementRequest transfer) {
    }

    public BatchRequest {
        items = List.copyOf(items);
    }

    /** Validates every item and reports every invalid field at once ({@code transfers[3].amount}). */
    public static BatchRequest from(JsonNode body) {
        RequestValidator validator = new RequestValidator(body);
        validator.allowOnly("transfers");
        List<JsonNode> elements = validator.array("transfers", 1, MAX_ITEMS);
        List<Item> items = new ArrayList<>(elements.size());
        Map<UUID, Integer> firstIndexOfId = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            RequestValidator item = validator.nested(element, "transfers[" + i + "]");
            UUID id = item.uuid("id");
            MovementRequest transfer = MovementRequest.read(MovementKind.TRANSFER, item, "id");
            Integer first = id == null ? null : firstIndexOfId.putIfAbsent(id, i);
            if (first != null) {
                // Two items with one id would be one transfer answered twice: ambiguous, so refused.
                validator.reject(new Problem.FieldError("transfers[" + i + "].id",
                        "repeats the id of transfers[" + first + "]; each transfer of a batch needs its own id"));
            }
            if (id != null && transfer != null) {
                items.add(new Item(id, transfer));
            }
        }
        validator.throwIfInvalid();
        return new BatchRequest(items);
    }
}
