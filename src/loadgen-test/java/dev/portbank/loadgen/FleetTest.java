package dev.portbank.loadgen;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FleetTest {
    private static final Fleet TEN = new Fleet(IntStream.range(0, 10)
            .mapToObj(i -> new LoadAccount("account-" + i, "token-" + i)).toList());

    @Test
    void slicesAreDisjointAndCoverTheFleet() {
        List<LoadAccount> first = TEN.slice(0, 3).accounts();
        List<LoadAccount> second = TEN.slice(1, 3).accounts();
        List<LoadAccount> third = TEN.slice(2, 3).accounts();

        assertThat(first).hasSize(4).doesNotContainAnyElementsOf(second).doesNotContainAnyElementsOf(third);
        assertThat(second).hasSize(3).doesNotContainAnyElementsOf(third);
        assertThat(IntStream.range(0, 3).mapToObj(part -> TEN.slice(part, 3).accounts()).flatMap(List::stream))
                .containsExactlyInAnyOrderElementsOf(TEN.accounts());
    }

    @Test
    void aSliceTooSmallToTransferWithinIsTheWholeFleet() {
        assertThat(TEN.slice(5, 6)).isEqualTo(TEN);
    }

    @Test
    void anyButNeverPicksTheExcludedAccount() {
        Fleet two = TEN.slice(0, 5);
        Random random = new Random(42);

        assertThat(IntStream.range(0, 100).mapToObj(i -> two.anyBut(two.merchant(), random)))
                .containsOnly(two.accounts().get(1));
    }
}
