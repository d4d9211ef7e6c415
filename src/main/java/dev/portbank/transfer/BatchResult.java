package dev.portbank.transfer;

import dev.portbank.account.Balance;

import java.util.List;
import java.util.UUID;

/** What became of a batch: all of it committed, or none of it, with every refused item. */
public sealed interface BatchResult {

    /** Every transfer moved (or, replayed, had moved the first time); {@code balances} for the cache. */
    record Committed(List<Transfer> transfers, boolean replayed, List<Balance> balances) implements BatchResult {
        public Committed {
            transfers = List.copyOf(transfers);
            balances = List.copyOf(balances);
        }
    }

    /** Nothing moved; these items are why. */
    record Rejected(List<RefusedItem> refusals) implements BatchResult {
        public Rejected {
            refusals = List.copyOf(refusals);
        }
    }

    /** One refused item: its position, its id, and the problem slug a single transfer would have answered. */
    record RefusedItem(int index, UUID id, String slug, String detail) {
    }
}
