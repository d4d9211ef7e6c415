package dev.portbank.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadConfigTest {

    @Test
    void defaultsNeedOnlyAUrlAndATokenSource() {
        LoadConfig config = LoadConfig.fromEnvironment(Map.of("BANK_URL", "http://127.0.0.1:8080",
                "BANK_TOKEN_MODE", "dev"));

        assertThat(config.tokens()).isInstanceOf(TokenSource.Development.class);
        assertThat(config.scenario()).isEqualTo(Scenario.TRANSFERS);
        assertThat(config.clients()).isEqualTo(32);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.transport()).isEqualTo(Transport.Kind.SOCKET);
        assertThat(config.format()).isEqualTo(LoadConfig.OutputFormat.TEXT);
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> env = new HashMap<>(Map.of("BANK_URL", "https://bank.example:8443/api",
                "BANK_CUSTOMER_TOKEN", "customer-jwt", "BANK_TELLER_TOKEN", "teller-jwt",
                "LOADGEN_SCENARIO", "hot-account", "LOADGEN_CLIENTS", "64", "LOADGEN_DURATION_SECONDS", "120",
                "LOADGEN_WARMUP_SECONDS", "0", "LOADGEN_ACCOUNTS", "10", "LOADGEN_BATCH_SIZE", "1000",
                "LOADGEN_FORMAT", "json"));
        env.put("LOADGEN_TRANSPORT", "jdk");

        LoadConfig config = LoadConfig.fromEnvironment(env);

        assertThat(config.tokens()).isEqualTo(new TokenSource.Given("customer-jwt", "teller-jwt"));
        assertThat(config.tokens().toString()).doesNotContain("jwt");
        assertThat(config.scenario()).isEqualTo(Scenario.HOT_ACCOUNT);
        assertThat(config).extracting(LoadConfig::clients, LoadConfig::accounts, LoadConfig::batchSize)
                .containsExactly(64, 10, 1000);
        assertThat(config.warmup()).isZero();
        assertThat(config.format()).isEqualTo(LoadConfig.OutputFormat.JSON);
        assertThat(config.transport()).isEqualTo(Transport.Kind.JDK);
    }

    @Test
    void tokensCanComeFromFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("customer"), "customer-jwt\n");
        Files.writeString(dir.resolve("teller"), "teller-jwt\n");

        LoadConfig config = LoadConfig.fromEnvironment(Map.of("BANK_URL", "http://127.0.0.1:8080",
                "BANK_CUSTOMER_TOKEN_FILE", dir.resolve("customer").toString(),
                "BANK_TELLER_TOKEN_FILE", dir.resolve("teller").toString()));

        assertThat(config.tokens()).isEqualTo(new TokenSource.Given("customer-jwt", "teller-jwt"));
    }

    @Test
    void mistakesNameTheVariableToFix() {
        Map<String, String> base = Map.of("BANK_URL", "http://127.0.0.1:8080", "BANK_TOKEN_MODE", "dev");

        assertRefused(Map.of("BANK_TOKEN_MODE", "dev"), "BANK_URL is not set");
        assertRefused(Map.of("BANK_URL", "127.0.0.1:8080", "BANK_TOKEN_MODE", "dev"), "BANK_URL must be");
        assertRefused(Map.of("BANK_URL", "http://127.0.0.1:8080"), "BANK_TOKEN_MODE=dev");
        assertRefused(with(base, "BANK_CUSTOMER_TOKEN", "jwt"), "not both");
        assertRefused(with(base, "LOADGEN_SCENARIO", "stampede"), "LOADGEN_SCENARIO must be one of transfers");
        assertRefused(with(base, "LOADGEN_CLIENTS", "0"), "LOADGEN_CLIENTS must be a whole number in 1..");
        assertRefused(with(base, "LOADGEN_BATCH_SIZE", "1001"), "LOADGEN_BATCH_SIZE");
        assertRefused(with(base, "LOADGEN_FORMAT", "xml"), "LOADGEN_FORMAT must be text or json");
        assertRefused(with(base, "LOADGEN_TRANSPORT", "carrier-pigeon"), "LOADGEN_TRANSPORT must be socket or jdk");
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> env = new HashMap<>(base);
        env.put(name, value);
        return env;
    }

    private static void assertRefused(Map<String, String> env, String message) {
        assertThatThrownBy(() -> LoadConfig.fromEnvironment(env)).isInstanceOf(LoadGenException.class)
                .hasMessageContaining(message);
    }
}
