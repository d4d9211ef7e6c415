package dev.portbank.auth;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Every refused authentication or authorization is one audit line: who, what, on what, the outcome, no token. */
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
}
