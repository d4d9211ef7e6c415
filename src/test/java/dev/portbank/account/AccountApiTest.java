package dev.portbank.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Every account call against a real PortBank and PostgreSQL. */
class AccountApiTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @Test
    void openAccountAnswersCreatedWithLocation() {
        Api.Response response = BANK.api().post("/v1/accounts", customer("olga"), Map.of("currency", "EUR",
                "name", "Savings"));

        assertThat(response.status()).isEqualTo(201);
        JsonNode account = response.json();
        assertThat(response.header("Location")).isEqualTo("/v1/accounts/" + account.path("id").asText());
        assertThat(account.path("name").asText()).isEqualTo("Savings");
        assertThat(account.path("currency").asText()).isEqualTo("EUR");
        assertThat(account.path("balance").asLong()).isZero();
        assertThat(account.path("status").asText()).isEqualTo("OPEN");
        assertThat(account.path("createdAt").asText()).isNotBlank();
        assertThat(account.has("owner")).isFalse();
        assertThat(fieldNames(account)).containsExactlyInAnyOrder("id", "name", "currency", "balance", "status",
                "createdAt");
    }

    @Test
    void getAccountShowsTheCurrentBalance() {
        String token = customer("gina");
        String id = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), id, 1250, "EUR");

        Api.Response response = BANK.api().get("/v1/accounts/" + id, token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("balance").asLong()).isEqualTo(1250);
    }

    @Test
    void balanceIsTheHotReadPath() {
        String token = customer("bea");
        String id = BANK.api().openAccount(token, "USD");
        BANK.api().deposit(teller("tom"), id, 99, "USD");

        Api.Response response = BANK.api().get("/v1/accounts/" + id + "/balance", token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(fieldNames(response.json())).containsExactlyInAnyOrder("accountId", "currency", "balance");
        assertThat(response.json().path("accountId").asText()).isEqualTo(id);
        assertThat(response.json().path("currency").asText()).isEqualTo("USD");
        assertThat(response.json().path("balance").asLong()).isEqualTo(99);
    }

    @Test
    void listPagesThroughOwnAccountsWithAStableCursor() {
        String token = customer("lena");
        List<String> opened = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            opened.add(BANK.api().openAccount(token, "EUR"));
        }
        BANK.api().openAccount(customer("somebody-else"), "EUR");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = BANK.api().get("/v1/accounts?limit=2" + (cursor == null ? "" : "&after=" + cursor), token);
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.json().path("next").isNull() ? null : page.json().path("next").asText();
            if (cursor != null) {
                BANK.api().openAccount(token, "EUR"); // new rows must not shift the pages already handed out
            }
        } while (cursor != null && seen.size() < 20);

        assertThat(seen.subList(0, 5)).containsExactlyElementsOf(opened);
        assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
    }

    @Test
    void lastPageHasNullNext() {
        String token = customer("nina");
        BANK.api().openAccount(token, "EUR");

        JsonNode page = BANK.api().get("/v1/accounts", token).json();

        assertThat(page.path("items")).hasSize(1);
        assertThat(page.has("next")).isTrue();
        assertThat(page.path("next").isNull()).isTrue();
    }

    @Test
    void historyIsNewestFirstWithBalanceAfterAndCounterparty() {
        String token = customer("hugo");
        String from = BANK.api().openAccount(token, "EUR");
        String to = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), from, 1000, "EUR");
        BANK.api().move("/v1/transfers", token, Map.of("from", from, "to", to, "amount", 300, "currency", "EUR",
                "reference", "rent"));
        BANK.api().move("/v1/withdrawals", teller("tom"), Map.of("account", from, "amount", 100, "currency", "EUR"));

        JsonNode items = BANK.api().get("/v1/accounts/" + from + "/transactions", token).json().path("items");

        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("kind").asText()).isEqualTo("WITHDRAWAL");
        assertThat(items.get(0).path("amount").asLong()).isEqualTo(-100);
        assertThat(items.get(0).path("balanceAfter").asLong()).isEqualTo(600);
        assertThat(items.get(0).path("counterparty").isNull()).isTrue();
        assertThat(items.get(1).path("kind").asText()).isEqualTo("TRANSFER");
        assertThat(items.get(1).path("amount").asLong()).isEqualTo(-300);
        assertThat(items.get(1).path("balanceAfter").asLong()).isEqualTo(700);
        assertThat(items.get(1).path("counterparty").asText()).isEqualTo(to);
        assertThat(items.get(1).path("reference").asText()).isEqualTo("rent");
        assertThat(items.get(2).path("kind").asText()).isEqualTo("DEPOSIT");
        assertThat(items.get(2).path("balanceAfter").asLong()).isEqualTo(1000);
        assertThat(fieldNames(items.get(0))).containsExactlyInAnyOrder("transferId", "kind", "amount",
                "balanceAfter", "counterparty", "reference", "createdAt");

        JsonNode credit = BANK.api().get("/v1/accounts/" + to + "/transactions", token).json().path("items").get(0);
        assertThat(credit.path("amount").asLong()).isEqualTo(300);
        assertThat(credit.path("counterparty").asText()).isEqualTo(from);
    }

    @Test
    void historyCursorIsStableWhileNewEntriesArrive() {
        String token = customer("ivy");
        String id = BANK.api().openAccount(token, "EUR");
        for (int i = 0; i < 5; i++) {
            BANK.api().deposit(teller("tom"), id, i + 1, "EUR");
        }
        JsonNode first = BANK.api().get("/v1/accounts/" + id + "/transactions?limit=2", token).json();
        BANK.api().deposit(teller("tom"), id, 100, "EUR");

        JsonNode second = BANK.api().get("/v1/accounts/" + id + "/transactions?limit=2&after="
                + first.path("next").asText(), token).json();

        assertThat(first.path("items").get(0).path("amount").asLong()).isEqualTo(5);
        assertThat(first.path("items").get(1).path("amount").asLong()).isEqualTo(4);
        assertThat(second.path("items").get(0).path("amount").asLong()).isEqualTo(3);
        assertThat(second.path("items").get(1).path("amount").asLong()).isEqualTo(2);
    }

    @Test
    void closeNeedsAZeroBalance() {
        String token = customer("carl");
        String id = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), id, 10, "EUR");

        Api.Response refused = BANK.api().post("/v1/accounts/" + id + "/close", token, "");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problem()).isEqualTo("balance-not-zero");
        assertThat(BANK.api().get("/v1/accounts/" + id, token).json().path("status").asText()).isEqualTo("OPEN");

        BANK.api().move("/v1/withdrawals", teller("tom"), Map.of("account", id, "amount", 10, "currency", "EUR"));
        Api.Response closed = BANK.api().post("/v1/accounts/" + id + "/close", token, "");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().path("status").asText()).isEqualTo("CLOSED");
    }

    @Test
    void closedAccountTakesNoMoney() {
        String token = customer("dora");
        String id = BANK.api().openAccount(token, "EUR");
        BANK.api().post("/v1/accounts/" + id + "/close", token, "");

        Api.Response deposit = BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", id, "amount", 5,
                "currency", "EUR"));

        assertThat(deposit.status()).isEqualTo(422);
        assertThat(deposit.problem()).isEqualTo("account-closed");
        assertThat(BANK.api().balance(token, id)).isZero();
    }

    @Test
    void unknownAccountIs404Problem() {
        for (String path : List.of("/v1/accounts/00000000-0000-0000-0000-000000000000",
                "/v1/accounts/00000000-0000-0000-0000-000000000000/balance",
                "/v1/accounts/00000000-0000-0000-0000-000000000000/transactions", "/v1/accounts/not-a-uuid")) {
            Api.Response response = BANK.api().get(path, customer("x"));
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.problem()).isEqualTo("not-found");
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Savings \u202eSDRAWKCAB", "Rent \u2066x\u2069",
            "Sa\u200bvings", "a\u2028b", "\ufeffSavings"})
    void aNameWithInvisibleFormattingIsAValidationProblem(String name) {
        Api.Response response = BANK.api().post("/v1/accounts", customer("fiona"),
                Map.of("currency", "EUR", "name", name));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problem()).isEqualTo("validation-failed");
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("name");
    }

    @Test
    void anEmojiSequenceWithAZeroWidthJoinerIsAFineName() {
        Api.Response response = BANK.api().post("/v1/accounts", customer("fiona"),
                Map.of("currency", "EUR", "name", "Dev fund \uD83D\uDC69\u200D\uD83D\uDCBB"));

        assertThat(response.status()).isEqualTo(201);
    }
}
