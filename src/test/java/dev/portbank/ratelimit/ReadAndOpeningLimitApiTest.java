package dev.portbank.ratelimit;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.portbank.testing.TestServer.customer;
import static org.assertj.core.api.Assertions.assertThat;

/** Reads and account opening have limits of their own per principal: here bursts of two, then one a second/minute. */
class ReadAndOpeningLimitApiTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank(Map.of(
            "RATE_LIMIT_READS_PER_SECOND", "1", "RATE_LIMIT_READS_BURST", "2",
            "RATE_LIMIT_OPENINGS_PER_MINUTE", "1", "RATE_LIMIT_OPENINGS_BURST", "2"));

    @Test
    void quickReadsBeyondTheBurstAreRefusedWhateverTheyRead() {
        List<String> paths = List.of("/v1/accounts", "/v1/accounts/00000000-0000-0000-0000-000000000000",
                "/v1/nothing-here");
        // A token comes back each second: quick calls run out after the burst of two, slow machines a little later.
        List<Api.Response> responses = IntStream.range(0, 30)
                .mapToObj(i -> BANK.api().get(paths.get(i % paths.size()), customer("reader"))).toList();

        assertThat(responses.subList(0, 2)).extracting(Api.Response::status).containsExactly(200, 404);
        Api.Response limited = responses.stream().filter(response -> response.status() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("no read was limited"));
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        assertThat(limited.problem()).isEqualTo("rate-limited");
        assertThat(limited.text("detail")).startsWith("too many reads");
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(BANK.api().get("/v1/accounts", customer("another-reader")).status()).isEqualTo(200);
    }

    @Test
    void thirdQuickOpeningIsRefusedAndOpensNothing() {
        List<Api.Response> responses = IntStream.range(0, 3).mapToObj(i -> BANK.api().post("/v1/accounts",
                customer("opener"), Map.of("currency", "EUR"))).toList();

        assertThat(responses).extracting(Api.Response::status).containsExactly(201, 201, 429);
        Api.Response limited = responses.get(2);
        assertThat(limited.problem()).isEqualTo("rate-limited");
        assertThat(limited.text("detail")).startsWith("too many accounts opened");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(BANK.api().get("/v1/accounts", customer("opener")).json().path("items")).hasSize(2);
    }
}
