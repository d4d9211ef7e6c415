package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/transfers/batch}: all or nothing, per-item errors, per-item idempotency, no deadlocks. */
class BatchTransferTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @Test
    void batchCommitsEveryTransferInOrder() {
        String owner = customer("bea");
        String a = funded(owner, 1_000);
        String b = BANK.api().openAccount(owner, "EUR");
        String c = BANK.api().openAccount(customer("carl"), "EUR");

        // The second item spends money the first one brings: items apply in order.
        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, batch(
                item(a, b, 600), item(b, c, 500), item(a, c, 100)));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode transfers = response.json().path("transfers");
        assertThat(transfers).hasSize(3);
        assertThat(transfers.get(1).path("from").asText()).isEqualTo(b);
        assertThat(transfers.get(1).path("amount").asLong()).isEqualTo(500);
        assertThat(BANK.api().balance(owner, a)).isEqualTo(300);
        assertThat(BANK.api().balance(owner, b)).isEqualTo(100);
        assertThat(BANK.api().balance(customer("carl"), c)).isEqualTo(600);
    }

    @Test
    void oneRefusedItemMovesNothingAndEveryRefusalIsReported() {
        String owner = customer("dan");
        String a = funded(owner, 100);
        String b = BANK.api().openAccount(owner, "EUR");
        String dollars = BANK.api().openAccount(owner, "USD");
        Map<String, Object> good = item(a, b, 50);
        Map<String, Object> overdraw = item(b, a, 1_000);
        Map<String, Object> mismatch = item(a, dollars, 1);

        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, batch(good, overdraw, mismatch));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.problem()).isEqualTo("batch-rejected");
        JsonNode errors = response.json().path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).path("index").asInt()).isEqualTo(1);
        assertThat(errors.get(0).path("id").asText()).isEqualTo(overdraw.get("id"));
        assertThat(errors.get(0).path("type").asText()).endsWith("/problems/insufficient-funds");
        assertThat(errors.get(1).path("index").asInt()).isEqualTo(2);
        assertThat(errors.get(1).path("type").asText()).endsWith("/problems/currency-mismatch");
        assertThat(BANK.api().balance(owner, a)).isEqualTo(100);
        assertThat(BANK.api().balance(owner, b)).isZero();

        // Nothing was stored either: the good item's id is still free to use.
        assertThat(BANK.api().post("/v1/transfers/batch", owner, batch(good)).status()).isEqualTo(201);
        assertThat(BANK.api().balance(owner, a)).isEqualTo(50);
    }

    @Test
    void sameBatchAgainReplaysAndMovesNothing() {
        String owner = customer("eva");
        String a = funded(owner, 100);
        String b = BANK.api().openAccount(owner, "EUR");
        Map<String, Object> body = batch(item(a, b, 10), item(a, b, 20));

        Api.Response first = BANK.api().post("/v1/transfers/batch", owner, body);
        Api.Response again = BANK.api().post("/v1/transfers/batch", owner, body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(BANK.api().balance(owner, a)).isEqualTo(70);
    }

    @Test
    void itemIdReusedForAnotherTransferIsRefused() {
        String owner = customer("finn");
        String a = funded(owner, 100);
        String b = BANK.api().openAccount(owner, "EUR");
        Map<String, Object> first = item(a, b, 10);
        BANK.api().post("/v1/transfers/batch", owner, batch(first));
        Map<String, Object> reused = new java.util.HashMap<>(item(a, b, 11));
        reused.put("id", first.get("id"));

        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, batch(reused));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("errors").get(0).path("type").asText())
                .endsWith("/problems/idempotency-key-reused");
        assertThat(BANK.api().balance(owner, a)).isEqualTo(90);
    }

    /** One id twice in one batch would be one transfer answered twice: refused, naming both indexes. */
    @Test
    void duplicateItemIdsInOneBatchAreRefused() {
        String owner = customer("dora");
        String a = funded(owner, 100);
        String b = BANK.api().openAccount(owner, "EUR");
        Map<String, Object> first = item(a, b, 10);

        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, batch(first, item(a, b, 5), first));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problem()).isEqualTo("validation-failed");
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("transfers[2].id");
        assertThat(response.json().path("errors").findValuesAsText("message"))
                .singleElement().asString().contains("transfers[0]");
        assertThat(BANK.api().balance(owner, a)).isEqualTo(100);
    }

    @Test
    void customerCannotBatchOutOfSomeoneElsesAccount() {
        String victim = funded(customer("gus"), 100);
        String thief = BANK.api().openAccount(customer("hank"), "EUR");

        Api.Response response = BANK.api().post("/v1/transfers/batch", customer("hank"), batch(item(victim, thief, 100)));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("errors").get(0).path("type").asText())
                .endsWith("/problems/account-not-found");
        assertThat(BANK.api().balance(customer("gus"), victim)).isEqualTo(100);
    }

    @Test
    void invalidItemsAreReportedByPath() {
        String owner = customer("ivy");
        String a = BANK.api().openAccount(owner, "EUR");
        Map<String, Object> bad = new java.util.HashMap<>(item(a, a, 1));
        bad.put("amount", "1");
        bad.remove("id");

        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, batch(item(a, UUID.randomUUID().toString(),
                1), bad));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .contains("transfers[1].amount", "transfers[1].id");
    }

    @Test
    void batchSizeIsOneToOneThousand() {
        String owner = customer("jo");
        String a = BANK.api().openAccount(owner, "EUR");
        String b = BANK.api().openAccount(owner, "EUR");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            tooMany.add(item(a, b, 1));
        }

        assertThat(BANK.api().post("/v1/transfers/batch", owner, Map.of("transfers", List.of())).status()).isEqualTo(400);
        assertThat(BANK.api().post("/v1/transfers/batch", owner, Map.of("transfers", tooMany)).status()).isEqualTo(400);
        assertThat(BANK.api().post("/v1/transfers/batch", owner, Map.of("transfers", "x")).status()).isEqualTo(400);
    }

    @Test
    void aThousandTransfersInOneBatch() {
        String owner = customer("kai");
        String a = funded(owner, 1_000);
        String b = BANK.api().openAccount(owner, "EUR");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            items.add(item(a, b, 1));
        }

        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, Map.of("transfers", items));

        assertThat(response.status()).isEqualTo(201);
        assertThat(BANK.api().balance(owner, b)).isEqualTo(1_000);
    }

    @Test
    void concurrentOverlappingBatchesNeverDeadlockAndConserveMoney() throws Exception {
        String owner = customer("lou");
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            accounts.add(funded(owner, 10_000));
        }
        List<Future<Api.Response>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            for (int n = 0; n < 160; n++) {
                answers.add(clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    List<Map<String, Object>> items = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        int from = random.nextInt(accounts.size());
                        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
                        items.add(item(accounts.get(from), accounts.get(to), 1 + random.nextInt(3_000)));
                    }
                    return BANK.api().post("/v1/transfers/batch", owner, Map.of("transfers", items));
                }));
            }
        }
        int committed = 0;
        for (Future<Api.Response> answer : answers) {
            Api.Response response = answer.get();
            assertThat(response.status()).as(response.toString()).isIn(201, 422);
            committed += response.status() == 201 ? 1 : 0;
        }
        assertThat(committed).isPositive();
        long total = accounts.stream().mapToLong(account -> BANK.api().balance(owner, account)).sum();
        assertThat(total).isEqualTo(60_000);
        try (Connection connection = BANK.database().connect(); Statement sql = connection.createStatement();
             ResultSet negative = sql.executeQuery("SELECT count(*) FROM accounts WHERE kind = 'CUSTOMER' "
                     + "AND balance < 0")) {
            negative.next();
            assertThat(negative.getLong(1)).isZero();
        }
    }

    private static String funded(String token, long amount) {
        String account = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), account, amount, "EUR");
        return account;
    }

    private static Map<String, Object> item(String from, String to, long amount) {
        return Map.of("id", UUID.randomUUID().toString(), "from", from, "to", to, "amount", amount,
                "currency", "EUR");
    }

    @SafeVarargs
    private static Map<String, Object> batch(Map<String, Object>... items) {
        return Map.of("transfers", List.of(items));
    }
}
