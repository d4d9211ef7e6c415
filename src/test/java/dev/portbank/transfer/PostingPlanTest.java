package dev.portbank.transfer;

import dev.portbank.ledger.MovementKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of a movement, decided in memory: tables of postings against locked accounts. */
class PostingPlanTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final UUID ALICE = id(1);
    private static final UUID BOB = id(2);
    private static final UUID CAROL_USD = id(3);
    private static final UUID CLOSED = id(4);
    private static final UUID TESS = id(5);
    private static final UUID SETTLEMENT_EUR = id(9);
    private static final UUID MISSING = id(99);

    private final Map<UUID, PostingPlan.LockedAccount> accounts = new HashMap<>(Map.of(
            ALICE, customer(ALICE, "alice", "EUR", 1_000),
            BOB, customer(BOB, "bob", "EUR", 0),
            CAROL_USD, customer(CAROL_USD, "carol", "USD", 500),
            CLOSED, new PostingPlan.LockedAccount(CLOSED, "dave", false, false, "EUR", 0, 0),
            TESS, customer(TESS, "tess", "EUR", 0),
            SETTLEMENT_EUR, new PostingPlan.LockedAccount(SETTLEMENT_EUR, null, true, true, "EUR", -1_000, 7)));
    private final Map<Posting.KeyId, PostingPlan.StoredKey> stored = new HashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);

    static Stream<Arguments> singleRefusals() {
        return Stream.of(
                Arguments.of("unknown debit", transfer("alice", MISSING, BOB, 1), Outcome.ACCOUNT_NOT_FOUND),
                Arguments.of("unknown credit", transfer("alice", ALICE, MISSING, 1), Outcome.ACCOUNT_NOT_FOUND),
                Arguments.of("someone else's money", transfer("bob", ALICE, BOB, 1), Outcome.ACCOUNT_NOT_FOUND),
                Arguments.of("settlement as a payee", transfer("alice", ALICE, SETTLEMENT_EUR, 1),
                        Outcome.ACCOUNT_NOT_FOUND),
                Arguments.of("closed payee", transfer("alice", ALICE, CLOSED, 1), Outcome.ACCOUNT_CLOSED),
                Arguments.of("other currency", transfer("alice", ALICE, CAROL_USD, 1), Outcome.CURRENCY_MISMATCH),
                Arguments.of("overdraft", transfer("alice", ALICE, BOB, 1_001), Outcome.INSUFFICIENT_FUNDS),
                Arguments.of("teller's own account", deposit("tess", TESS, 5), Outcome.TELLER_OWN_ACCOUNT),
                Arguments.of("teller withdraws own", withdrawal("tess", TESS, 5), Outcome.TELLER_OWN_ACCOUNT),
                Arguments.of("deposit in other currency", deposit("tess", CAROL_USD, 5), Outcome.CURRENCY_MISMATCH),
                Arguments.of("withdraw too much", withdrawal("tess", ALICE, 1_001), Outcome.INSUFFICIENT_FUNDS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleRefusals")
    void refusesWithTheRuleThatApplies(String name, Posting posting, Outcome expected) {
        PostingPlan plan = decide(posting);

        assertThat(plan.results()).containsExactly(new MovementResult.Refused(expected, false));
        assertThat(plan.transfers()).isEmpty();
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.keys()).singleElement().satisfies(key -> {
            assertThat(key.outcome()).isEqualTo(expected);
            assertThat(key.transferId()).isNull();
        });
    }

    @Test
    void aRefusedItemChangesNothingAndTheOthersStillPost() {
        PostingPlan plan = decide(transfer("alice", ALICE, BOB, 600), transfer("alice", ALICE, BOB, 600),
                transfer("alice", ALICE, BOB, 400));

        assertThat(plan.results()).extracting(PostingPlanTest::outcome)
                .containsExactly(Outcome.COMPLETED, Outcome.INSUFFICIENT_FUNDS, Outcome.COMPLETED);
        assertThat(plan.changes()).extracting(c -> c.account().id(), PostingPlan.AccountChange::balance,
                        PostingPlan.AccountChange::movements)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(ALICE, 0L, 2),
                        org.assertj.core.groups.Tuple.tuple(BOB, 1_000L, 2));
        assertThat(plan.entries()).extracting(PostingPlan.NewEntry::balanceAfter)
                .containsExactly(400L, 600L, 0L, 1_000L);
        assertThat(plan.keys()).hasSize(3);
    }

    @Test
    void anItemMaySpendWhatAnEarlierItemBrought() {
        PostingPlan plan = decide(transfer("alice", ALICE, BOB, 1_000), transfer("bob", BOB, TESS, 700),
                transfer("bob", BOB, TESS, 301));

        assertThat(plan.results()).extracting(PostingPlanTest::outcome)
                .containsExactly(Outcome.COMPLETED, Outcome.COMPLETED, Outcome.INSUFFICIENT_FUNDS);
        assertThat(plan.balances()).extracting(b -> b.accountId(), b -> b.balance(), b -> b.version())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(ALICE, 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(BOB, 300L, 2L),
                        org.assertj.core.groups.Tuple.tuple(TESS, 700L, 1L));
    }

    @Test
    void depositsAndWithdrawalsMoveTheSettlementAccountWhichStaysOutOfTheCache() {
        PostingPlan plan = decide(deposit("tess", BOB, 250), withdrawal("tess", ALICE, 100));

        assertThat(plan.transfers()).extracting(PostingPlan.NewTransfer::debit, PostingPlan.NewTransfer::credit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SETTLEMENT_EUR, BOB),
                        org.assertj.core.groups.Tuple.tuple(ALICE, SETTLEMENT_EUR));
        assertThat(plan.changes()).filteredOn(c -> c.account().settlement()).singleElement()
                .satisfies(c -> assertThat(c.balance()).isEqualTo(-1_150L));
        assertThat(plan.balances()).extracting(b -> b.accountId()).containsExactlyInAnyOrder(ALICE, BOB);
        MovementResult.Completed deposit = (MovementResult.Completed) plan.results().getFirst();
        assertThat(deposit.transfer().from()).as("a deposit shows no source account").isNull();
        assertThat(deposit.transfer().createdAt()).isEqualTo(NOW);
    }

    @Test
    void aSettlementBalanceThatWouldOverflowIsRefusedNotWrapped() {
        accounts.put(SETTLEMENT_EUR, new PostingPlan.LockedAccount(SETTLEMENT_EUR, null, true, true, "EUR",
                Long.MIN_VALUE + 10, 0));

        PostingPlan plan = decide(deposit("tess", BOB, 11), deposit("tess", BOB, 10));

        assertThat(plan.results()).extracting(PostingPlanTest::outcome)
                .containsExactly(Outcome.BALANCE_LIMIT, Outcome.COMPLETED);
    }

    @Test
    void aKeySeenEarlierInTheGroupReplaysOrIsReused() {
        Posting first = transfer("alice", ALICE, BOB, 10, "k1");
        Posting again = transfer("alice", ALICE, BOB, 10, "k1");
        Posting different = transfer("alice", ALICE, BOB, 11, "k1");
        Posting otherPrincipal = transfer("bob", BOB, ALICE, 5, "k1");

        PostingPlan plan = decide(first, again, different, otherPrincipal);

        MovementResult.Completed moved = (MovementResult.Completed) plan.results().get(0);
        assertThat(plan.results().get(1)).isEqualTo(new MovementResult.Completed(moved.transfer(), true));
        assertThat(plan.results().get(2)).isInstanceOf(MovementResult.KeyReused.class);
        assertThat(outcome(plan.results().get(3))).as("keys are scoped per principal").isEqualTo(Outcome.COMPLETED);
        assertThat(plan.transfers()).hasSize(2);
        assertThat(plan.keys()).extracting(PostingPlan.NewKey::principal).containsExactly("alice", "bob");
    }

    @Test
    void aStoredKeyReplaysItsAnswerAndWritesNothing() {
        Posting refusedBefore = transfer("alice", ALICE, BOB, 5_000, "k-refused");
        Posting movedBefore = transfer("alice", ALICE, BOB, 10, "k-moved");
        Transfer earlier = new Transfer(id(500), MovementKind.TRANSFER, ALICE, BOB, 10, "EUR", "", NOW);
        stored.put(refusedBefore.keyId(), new PostingPlan.StoredKey(refusedBefore.movement().fingerprint(),
                Outcome.INSUFFICIENT_FUNDS, null));
        stored.put(movedBefore.keyId(), new PostingPlan.StoredKey(movedBefore.movement().fingerprint(),
                Outcome.COMPLETED, earlier));

        PostingPlan plan = decide(refusedBefore, movedBefore, transfer("alice", ALICE, BOB, 11, "k-moved"));

        assertThat(plan.results()).containsExactly(new MovementResult.Refused(Outcome.INSUFFICIENT_FUNDS, true),
                new MovementResult.Completed(earlier, true), new MovementResult.KeyReused());
        assertThat(plan.writesNothing()).isTrue();
        assertThat(plan.allCompleted()).isFalse();
    }

    private PostingPlan decide(Posting... postings) {
        return PostingPlan.decide(List.of(postings), accounts, stored, Map.of("EUR", SETTLEMENT_EUR), NOW,
                () -> id(ids.incrementAndGet()));
    }

    private static Outcome outcome(MovementResult result) {
        return switch (result) {
            case MovementResult.Completed completed -> Outcome.COMPLETED;
            case MovementResult.Refused refused -> refused.reason();
            case MovementResult.KeyReused reused -> null;
        };
    }

    private static PostingPlan.LockedAccount customer(UUID id, String owner, String currency, long balance) {
        return new PostingPlan.LockedAccount(id, owner, false, true, currency, balance, 0);
    }

    private static Posting transfer(String principal, UUID from, UUID to, long amount) {
        return transfer(principal, from, to, amount, UUID.randomUUID().toString());
    }

    private static Posting transfer(String principal, UUID from, UUID to, long amount, String key) {
        return new Posting(principal, key,
                new MovementRequest(MovementKind.TRANSFER, from, to, amount, "EUR", ""), true);
    }

    private static Posting deposit(String teller, UUID to, long amount) {
        return new Posting(teller, UUID.randomUUID().toString(),
                new MovementRequest(MovementKind.DEPOSIT, null, to, amount, "EUR", ""), false);
    }

    private static Posting withdrawal(String teller, UUID from, long amount) {
        return new Posting(teller, UUID.randomUUID().toString(),
                new MovementRequest(MovementKind.WITHDRAWAL, from, null, amount, "EUR", ""), false);
    }

    private static UUID id(long n) {
        return new UUID(0, n);
    }
}
