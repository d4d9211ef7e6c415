package dev.portbank.auth;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.portbank.testing.TestServer.admin;
import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refused authentication or authorization is one audit line: who, what, on what, the outcome, no token; so is
 * every account opened or closed, every read of someone else's data, and every batch with its items.
 */
class AuditApiTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();
    private AuditLog audit;

    @BeforeEach
    void capture() {
        audit = AuditLog.capture();
    }

    @AfterEach
    void release() {
        audit.close();
    }

    @Test
    void refusedTokenIsOneLineWithoutTheToken() {
        String token = Forgery.withClaims(customer("mallory"), SigningKey.claims("mallory").build());
        String requestId = UUID.randomUUID().toString();

        Api.Response response = BANK.api().send("GET", "/v1/accounts", token, null, Map.of("X-Request-Id", requestId));

        assertThat(response.status()).isEqualTo(401);
        assertThat(audit.forRequest(requestId)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("event", "authentication-refused")
                .containsEntry("principal", "-")
                .containsEntry("action", "GET")
                .containsEntry("target", "/v1/accounts")
                .containsEntry("outcome", "bad-signature"));
        assertThat(audit.rendered()).noneSatisfy(text -> assertThat(text).contains(token.split("\\.")[2]));
    }

    @Test
    void missingTokenIsOneLine() {
        String requestId = UUID.randomUUID().toString();

        BANK.api().send("POST", "/v1/transfers", null, "{}", Map.of("X-Request-Id", requestId));

        assertThat(audit.forRequest(requestId)).singleElement()
                .satisfies(line -> assertThat(line).containsEntry("outcome", "missing-token"));
    }

    @Test
    void forbiddenDepositIsOneLineNamingThePrincipal() {
        String account = BANK.api().openAccount(customer("nora"), "EUR");
        String token = customer("nora");
        String requestId = UUID.randomUUID().toString();

        Api.Response response = BANK.api().post("/v1/deposits", token, Map.of("account", account, "amount", 1,
                "currency", "EUR"), Map.of("Idempotency-Key", "nora-1", "X-Request-Id", requestId));

        assertThat(response.status()).isEqualTo(403);
        assertThat(audit.forRequest(requestId)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("event", "authorization-refused")
                .containsEntry("principal", "nora")
                .containsEntry("action", "a deposit")
                .containsEntry("outcome", "forbidden"));
        assertThat(audit.rendered()).noneSatisfy(text -> assertThat(text).contains(token.split("\\.")[2]));
    }

    @Test
    void forbiddenCloseIsOneLine() {
        String account = BANK.api().openAccount(customer("otto"), "EUR");
        String requestId = UUID.randomUUID().toString();

        BANK.api().send("POST", "/v1/accounts/" + account + "/close", teller("tom"), null,
                Map.of("X-Request-Id", requestId));

        assertThat(audit.forRequest(requestId)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("principal", "tom")
                .containsEntry("outcome", "forbidden"));
    }

    @Test
    void acceptedReadWritesNoAuditLine() {
        String requestId = UUID.randomUUID().toString();

        BANK.api().send("GET", "/v1/accounts", customer("paula"), null, Map.of("X-Request-Id", requestId));

        assertThat(audit.forRequest(requestId)).isEqualTo(List.of());
    }

    @Test
    void openingAndClosingAnAccountAreAudited() {
        String opened = UUID.randomUUID().toString();
        String closed = UUID.randomUUID().toString();

        Api.Response open = BANK.api().post("/v1/accounts", customer("olga"), Map.of("currency", "EUR"),
                Map.of("X-Request-Id", opened));
        String account = open.text("id");
        BANK.api().send("POST", "/v1/accounts/" + account + "/close", customer("olga"), null,
                Map.of("X-Request-Id", closed));

        assertThat(audit.forRequest(opened)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("event", "account-opened")
                .containsEntry("principal", "olga")
                .containsEntry("target", UUID.fromString(account))
                .containsEntry("outcome", "completed"));
        assertThat(audit.forRequest(closed)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("event", "account-closed")
                .containsEntry("principal", "olga")
                .containsEntry("target", UUID.fromString(account))
                .containsEntry("outcome", "completed"));
    }

    @Test
    void aTellerOrAdminReadingSomeoneElsesDataIsAudited() {
        String account = BANK.api().openAccount(customer("petra"), "EUR");
        List<String> paths = List.of("/v1/accounts/" + account, "/v1/accounts/" + account + "/balance",
                "/v1/accounts/" + account + "/transactions", "/v1/accounts");

        for (String path : paths) {
            for (String reader : List.of(teller("tara"), admin("adam"))) {
                String requestId = UUID.randomUUID().toString();
                assertThat(BANK.api().send("GET", path, reader, null, Map.of("X-Request-Id", requestId)).status())
                        .isEqualTo(200);
                assertThat(audit.forRequest(requestId)).as(path).singleElement().satisfies(line -> assertThat(line)
                        .containsEntry("event", "read-others-data")
                        .containsEntry("outcome", "allowed"));
            }
        }
        String own = UUID.randomUUID().toString();
        BANK.api().send("GET", "/v1/accounts/" + account, customer("petra"), null, Map.of("X-Request-Id", own));
        assertThat(audit.forRequest(own)).as("reading one's own account").isEmpty();
    }

    @Test
    void aBatchLineListsItsItemsUpToABound() {
        String owner = customer("bea");
        String from = BANK.api().openAccount(owner, "EUR");
        String to = BANK.api().openAccount(customer("ben"), "EUR");
        BANK.api().deposit(teller("tess"), from, 1_000, "EUR");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(Map.of("id", UUID.randomUUID().toString(), "from", from, "to", to, "amount", i + 1,
                    "currency", "EUR"));
        }
        String requestId = UUID.randomUUID().toString();

        Api.Response response = BANK.api().post("/v1/transfers/batch", owner, Map.of("transfers", items),
                Map.of("X-Request-Id", requestId));

        assertThat(response.status()).isEqualTo(201);
        assertThat(audit.forRequest(requestId)).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("event", "batch").containsEntry("total", 325L);
            String listed = String.valueOf(line.get("items"));
            assertThat(listed).contains(items.get(0).get("id") + ":" + from + "->" + to + ":1 EUR")
                    .contains(String.valueOf(items.get(19).get("id")))
                    .doesNotContain(String.valueOf(items.get(20).get("id")))
                    .endsWith(",+5 more");
        });
    }
}
