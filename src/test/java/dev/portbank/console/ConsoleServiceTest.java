package dev.portbank.console;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The console as HTTP: what `/` and its assets answer, their security and cache headers, and what stays private. */
class ConsoleServiceTest {
    private static final String ISSUER = "https://id.portbank.test/realms/bank";
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank(Map.of("AUTH_OIDC_ISSUER", ISSUER,
            "AUTH_OIDC_CLIENT_ID", "console\"<b>&'"));
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self' https://id.portbank.test; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final Pattern SCRIPT = Pattern.compile("src=\"console/([0-9a-f]{16})/app\\.js\"");

    @Test
    void pageIsHtmlWithStrictSecurityHeadersAndRevalidated() {
        Api.Response page = BANK.api().get("/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertSecure(page);
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.raw()).doesNotContain("{{").doesNotContain("<script>").doesNotContain("style=")
                .contains("<script type=\"module\" src=\"console/" + version() + "/app.js\"></script>");
    }

    @Test
    void pageAnswers304WhenUnchanged() {
        String tag = BANK.api().get("/", null).header("ETag");

        Api.Response again = BANK.api().send("GET", "/", null, null, Map.of("If-None-Match", tag));

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("Content-Security-Policy")).isEqualTo(CSP);
    }

    @Test
    void signInOptionsAreEscapedDataAttributes() {
        String page = BANK.api().get("/", null).raw();

        assertThat(page).contains("data-dev-sign-in=\"true\"")
                .contains("data-oidc-issuer=\"" + ISSUER + "\"")
                .contains("data-oidc-client-id=\"console&quot;&lt;b&gt;&amp;&#39;\"")
                .contains("data-oidc-scope=\"openid\"");
    }

    @Test
    void assetsAreImmutableUnderTheirContentHash() {
        Api.Response script = BANK.api().get("/console/" + version() + "/app.js", null);
        Api.Response style = BANK.api().get("/console/" + version() + "/console.css", null);

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertSecure(script);
        assertThat(style.contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(style.raw()).contains(":root");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/0000000000000000/app.js", "/console/VERSION/nothing.js",
            "/console/VERSION/index.html", "/console/VERSION/../../META-INF/openapi.yaml", "/console/VERSION"})
    void anythingElseUnderConsoleIsNotFound(String path) {
        Api.Response response = BANK.api().get(path.replace("VERSION", version()), null);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Cache-Control")).isIn("no-store", null);
    }

    @Test
    void everyShippedFileIsServed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/console"))) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> !name.equals("index.html")))
                    .containsExactlyInAnyOrderElementsOf(ConsoleAssets.FILES);
        }
        for (String file : ConsoleAssets.FILES) {
            assertThat(BANK.api().get("/console/" + version() + "/" + file, null).status()).as(file).isEqualTo(200);
        }
    }

    @Test
    void devTokensSignInAsAnyoneInDevMode() {
        Api.Response minted = BANK.api().post("/dev/tokens", null, Map.of("subject", "tess", "role", "teller"));

        assertThat(minted.status()).isEqualTo(200);
        String token = minted.text("token");
        assertThat(BANK.api().post("/v1/deposits", token, "{}", Map.of("Idempotency-Key", "k1")).problem())
                .isEqualTo("validation-failed");
    }

    @Test
    void devTokenRequestsAreValidated() {
        Api.Response response = BANK.api().post("/dev/tokens", null, Map.of("subject", " ", "role", "root"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").toString()).contains("\"field\":\"subject\"")
                .contains("\"field\":\"role\"");
    }

    @Test
    void devTokensDoNotExistWhenKeysAreConfigured() throws Exception {
        try (TestServer keyed = TestServer.start(BANK.database(), Map.of("AUTH_DEV_MODE", "true",
                "AUTH_PUBLIC_KEY", publicPem(), "AUTH_ISSUER", "https://id.portbank.test",
                "AUTH_AUDIENCE", "portbank-api"))) {
            Api.Response minted = keyed.api().post("/dev/tokens", null, Map.of("subject", "mallory", "role", "admin"));
            Api.Response page = keyed.api().get("/", null);

            assertThat(minted.status()).isEqualTo(404);
            assertThat(page.raw()).contains("data-dev-sign-in=\"false\"").doesNotContain("data-oidc");
            assertThat(page.header("Content-Security-Policy")).contains("connect-src 'self';");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/../v1/accounts", "/console/x/../../v1/accounts", "/dev/../v1/accounts",
            "/v1/console", "/v1/dev/tokens"})
    void theConsoleOpensNothingUnderV1(String rawPath) throws IOException {
        assertThat(BANK.api().rawStatus(rawPath)).isEqualTo(401);
    }

    private static void assertSecure(Api.Response response) {
        assertThat(response.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    private static String version() {
        Matcher script = SCRIPT.matcher(BANK.api().get("/", null).raw());
        assertThat(script.find()).as("the page loads app.js from a versioned path").isTrue();
        return script.group(1);
    }

    private static String publicPem() throws Exception {
        byte[] der = new RSAKeyGenerator(2048).generate().toRSAPublicKey().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }
}
