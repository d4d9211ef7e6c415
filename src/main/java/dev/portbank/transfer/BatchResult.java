package dev.portbank.transfer;

import java.util.List;
import java.util.UUID;

/** What became of a batch: all of it committed, or none of it, with every refused item. */
public sealed interface BatchResult {

    /** Every transfer moved (or, replayed, had moved the first time). */
    record Committed(List<Transfer> transfers, boolean replayed) implements BatchResult {
        public Committed {
            transfers = List.copyOf(transfers);
        }
    }

    /** Nothing moved; these items (of {@code items} in the batch) are why. */
    record Rejected(List<RefusedItem> refusals, int items) implements BatchResult {
        public Rejected {
            refusals = List.copyOf(refusals);
        }
    }

    /** One refused item: its position, its id, and the problem slug a single transfer would have answered. */
    record RefusedItem(int index, UUID id, String slug, String detail) {
    }
}
