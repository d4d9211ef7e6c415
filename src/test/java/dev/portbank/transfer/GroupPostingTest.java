package dev.portbank.transfer;

import dev.portbank.config.Settings;
import dev.portbank.ledger.MovementKind;
import dev.portbank.platform.Database;
import dev.portbank.testing.Api;
import dev.portbank.testing.LedgerInvariants;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Groups posted as one transaction against real PostgreSQL: each item keeps its own outcome. */
class GroupPostingTest {
    private static TestDatabase database;
    private static TestServer server;
    private static Database connection;
    private static TransferRepository transfers;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        server = TestServer.start(database);
        connection = Database.connect(Settings.load(Map.of("DATABASE_URL", database.url())).database());
        transfers = new TransferRepository(connection.client());
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        server.close();
        database.close();
    }

    @Test
    void inAGroupWithRefusedItemsTheOthersCommitAndEveryKeyIsStoredOnce() throws Exception {
        Api api = server.api();
        String alice = funded("alice-1", 1_000);
        String bob = api.openAccount(customer("bob-1"), "EUR");
        String closed = api.openAccount(customer("carol-1"), "EUR");
        api.post("/v1/accounts/" + closed + "/close", customer("carol-1"), null);
        String usd = api.openAccount(customer("dave-1"), "USD");

        List<Posting> group = List.of(
                transfer("alice-1", alice, bob, 600),
                transfer("alice-1", alice, bob, 600),        // only 400 left: refused
                transfer("alice-1", alice, closed, 100),     // closed payee: refused
                transfer("alice-1", alice, usd, 100),        // other currency: refused
                transfer("bob-1", alice, bob, 100),          // not bob's money: refused
                transfer("alice-1", alice, bob, 400));
        PostingPlan plan = transfers.post(group, false);

        assertThat(plan.results()).extracting(GroupPostingTest::outcome).containsExactly("completed",
                "insufficient-funds", "account-closed", "currency-mismatch", "account-not-found", "completed");
        assertThat(api.balance(customer("alice-1"), alice)).isZero();
        assertThat(api.balance(customer("bob-1"), bob)).isEqualTo(1_000);
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            assertThat(strings(statement, "SELECT outcome::text FROM idempotency_keys WHERE principal IN "
                    + "('alice-1', 'bob-1') ORDER BY created_at, outcome::text")).containsExactlyInAnyOrder(
                    "completed", "completed", "insufficient-funds", "account-closed", "currency-mismatch",
                    "account-not-found");
            assertThat(strings(statement, "SELECT balance_after::text FROM entries WHERE account_id = '" + alice
                    + "' ORDER BY id")).containsExactly("1000", "400", "0");
        }

        PostingPlan again = transfers.post(group, false);
        assertThat(again.results()).as("the same group again replays every answer").allMatch(MovementResult::replayed);
        assertThat(again.writesNothing()).isTrue();
        assertThat(api.balance(customer("bob-1"), bob)).isEqualTo(1_000);
        try (Connection sql = database.connect()) {
            LedgerInvariants.assertHold(sql);
        }
    }

    @Test
    void anItemNamingAnUnknownAccountIsRefusedAndLeavesNoReferenceToIt() throws Exception {
        Api api = server.api();
        String alice = funded("alice-4", 300);
        String bob = api.openAccount(customer("bob-4"), "EUR");
        String nobody = UUID.randomUUID().toString();

        PostingPlan plan = transfers.post(List.of(transfer("alice-4", alice, nobody, 100),
                transfer("alice-4", alice, bob, 100)), false);

        assertThat(plan.results()).extracting(GroupPostingTest::outcome)
                .containsExactly("account-not-found", "completed");
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            assertThat(strings(statement, "SELECT count(*)::text FROM entries WHERE account_id = '" + nobody + "'"))
                    .containsExactly("0");
            LedgerInvariants.assertHold(sql);
        }
    }

    @Test
    void theReferenceCheckFindsWhatAForeignKeyWouldHaveRefused() throws Exception {
        try (TestDatabase scratch = TestDatabase.create()) {
            Database.migrateOnce(Settings.load(Map.of("DATABASE_URL", scratch.url())).database());
            try (Connection sql = scratch.connect(); Statement statement = sql.createStatement()) {
                assertThat(LedgerInvariants.count(sql)).as("an empty ledger").allSatisfy((rule, rows) ->
                        assertThat(rows).as(rule).isZero());
                statement.execute("INSERT INTO transfers (id, kind, from_account, to_account, amount, currency, "
                        + "initiated_by) VALUES (gen_random_uuid(), 'TRANSFER', gen_random_uuid(), gen_random_uuid(), "
                        + "5, 'EUR', 'test')");
                statement.execute("INSERT INTO entries (transfer_id, account_id, amount, balance_after, created_at) "
                        + "VALUES (gen_random_uuid(), gen_random_uuid(), 5, 5, now())");

                assertThat(LedgerInvariants.count(sql)).containsExactly(
                        Map.entry("currencies whose balances do not sum to zero", 0L),
                        Map.entry("customer balances below zero", 0L),
                        Map.entry("balances that are not the sum of their entries", 0L),
                        Map.entry("entries whose balanceAfter is not the running sum", 0L),
                        Map.entry("entries of an unknown account", 1L),
                        Map.entry("entries of an unknown transfer", 1L),
                        Map.entry("transfers from or to an unknown account", 1L),
                        Map.entry("transfers without their two entries, one on each of its accounts", 1L),
                        Map.entry("idempotency keys of an unknown transfer", 0L));
            }
        }
    }

    @Test
    void twoItemsOfAGroupSpendFromTheSameAccountInOrder() {
        Api api = server.api();
        String alice = funded("alice-2", 500);
        String bob = api.openAccount(customer("bob-2"), "EUR");
        String carol = api.openAccount(customer("carol-2"), "EUR");

        PostingPlan plan = transfers.post(List.of(
                transfer("alice-2", alice, bob, 500),
                transfer("bob-2", bob, carol, 300),
                transfer("bob-2", bob, carol, 200),
                transfer("bob-2", bob, carol, 1)), false);

        assertThat(plan.results()).extracting(GroupPostingTest::outcome)
                .containsExactly("completed", "completed", "completed", "insufficient-funds");
        assertThat(api.balance(customer("bob-2"), bob)).isZero();
        assertThat(api.balance(customer("carol-2"), carol)).isEqualTo(500);
        Api.Response history = api.get("/v1/accounts/" + bob + "/transactions", customer("bob-2"));
        assertThat(history.json().path("items").findValuesAsText("balanceAfter"))
                .as("newest first, each the running balance").containsExactly("0", "200", "500");
    }

    @Test
    void anAllOrNothingGroupWithOneRefusalWritesNothing() throws Exception {
        Api api = server.api();
        String alice = funded("alice-3", 100);
        String bob = api.openAccount(customer("bob-3"), "EUR");

        PostingPlan plan = transfers.post(List.of(transfer("alice-3", alice, bob, 60),
                transfer("alice-3", alice, bob, 60)), true);

        assertThat(plan.allCompleted()).isFalse();
        assertThat(api.balance(customer("alice-3"), alice)).isEqualTo(100);
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            assertThat(strings(statement, "SELECT key FROM idempotency_keys WHERE principal = 'alice-3'"))
                    .as("no key is stored for a rejected batch").isEmpty();
        }
    }

    @Test
    void everyOutcomeTheDatabaseCanStoreMapsToExactlyOneJavaValue() throws Exception {
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            List<String> labels = strings(statement,
                    "SELECT unnest(enum_range(NULL::movement_outcome))::text");

            assertThat(labels).containsExactlyInAnyOrderElementsOf(
                    Arrays.stream(Outcome.values()).map(Outcome::slug).toList());
            assertThat(labels).allSatisfy(label -> assertThat(Outcome.ofSlug(label).slug()).isEqualTo(label));
        }
    }

    private static String funded(String owner, long amount) {
        Api api = server.api();
        String id = api.openAccount(customer(owner), "EUR");
        api.deposit(teller("teller"), id, amount, "EUR");
        return id;
    }

    private static Posting transfer(String principal, String from, String to, long amount) {
        return new Posting(principal, UUID.randomUUID().toString(), new MovementRequest(MovementKind.TRANSFER,
                UUID.fromString(from), UUID.fromString(to), amount, "EUR", ""), true);
    }

    private static String outcome(MovementResult result) {
        return switch (result) {
            case MovementResult.Completed completed -> Outcome.COMPLETED.slug();
            case MovementResult.Refused refused -> refused.reason().slug();
            case MovementResult.KeyReused reused -> MovementResult.KeyReused.SLUG;
        };
    }

    private static List<String> strings(Statement statement, String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
