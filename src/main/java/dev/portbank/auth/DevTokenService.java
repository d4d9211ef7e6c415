package dev.portbank.auth;

import dev.portbank.platform.EventLog;
import dev.portbank.platform.Json;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestId;
import dev.portbank.platform.RequestValidator;
import dev.portbank.platform.Routes;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;

/**
 * {@code POST /dev/tokens}: mints a development token, so the console's "sign in as" form (and curl) need no jar.
 * Main registers it only while development tokens are accepted; the tokens it mints are worth exactly what anyone
 * could mint with the public development key, so it needs no token itself.
 */
public final class DevTokenService implements HttpService {
    public static final String ROLE_UNKNOWN = "must be customer, teller or admin";
    static final int MAX_SUBJECT = 64;
    private static final EventLog AUDIT = EventLog.named("audit");

    @Override
    public void routing(HttpRules rules) {
        rules.post("/tokens", this::mintToken)
                .any("/tokens", Routes.methodNotAllowed(Method.POST));
    }

    private void mintToken(ServerRequest request, ServerResponse response) {
        TokenRequest wanted = TokenRequest.from(new RequestValidator(Json.readObject(request)));
        AUDIT.info("dev-token-minted", "principal", wanted.subject(), "role", wanted.role().claimValue(),
                "requestId", RequestId.current());
        Json.send(response, Status.OK_200, Map.of("token", DevTokens.mint(wanted.subject(), wanted.role())));
    }

    /** The body: {@code {"subject": "alice", "role": "teller"}}; the role defaults to customer. */
    record TokenRequest(String subject, Role role) {
        static TokenRequest from(RequestValidator validator) {
            validator.allowOnly("subject", "role");
            String subject = validator.optionalText("subject", MAX_SUBJECT);
            if (validator.valid() && (subject == null || subject.isBlank())) {
                validator.reject(new Problem.FieldError("subject", RequestValidator.REQUIRED));
            }
            String roleName = validator.optionalText("role", 16);
            Role role = roleName == null ? Role.CUSTOMER : Role.parse(roleName).orElse(null);
            if (role == null) {
                validator.reject(new Problem.FieldError("role", ROLE_UNKNOWN));
            }
            validator.throwIfInvalid();
            return new TokenRequest(subject.strip(), role);
        }
    }
}
