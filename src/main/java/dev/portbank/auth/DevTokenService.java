package dev.portbank.auth;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /dev/tokens}: mints a development token with this process's key, for the console's "sign in as" form,
 * the {@code token} command, the load generator and curl. Main registers it only while development tokens are
 * accepted, which is also the only way to obtain one: it needs no token itself, so dev mode stays on loopback.
 */
public final class DevTokenService implements HttpService {
    public static final String ROLE_UNKNOWN = "must be customer, teller or admin";
    public static final String TTL_OUT_OF_RANGE = "must be a whole number of seconds from 1 to "
            + TokenRequest.MAX_TTL_SECONDS;
    static final int MAX_SUBJECT = 64;
    private static final EventLog AUDIT = EventLog.named("audit");

    private final DevTokens devTokens;

    public DevTokenService(DevTokens devTokens) {
        this.devTokens = devTokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/tokens", this::mintToken)
                .any("/tokens", Routes.methodNotAllowed(Method.POST));
    }

    private void mintToken(ServerRequest request, ServerResponse response) {
        TokenRequest wanted = TokenRequest.from(new RequestValidator(Json.readObject(request)));
        AUDIT.info("dev-token-minted", "principal", wanted.subject(), "role", wanted.roles().stream()
                .map(Role::claimValue).sorted().collect(Collectors.joining(",")), "requestId", RequestId.current());
        Json.send(response, Status.OK_200, Map.of("token", devTokens.mint(wanted.subject(), wanted.roles(),
                wanted.ttl())));
    }

    /**
     * The body: {@code {"subject": "alice", "role": "teller"}}, or several {@code "roles"}; customer unless told
     * otherwise. {@code ttlSeconds} defaults to 12 hours.
     */
    record TokenRequest(String subject, Set<Role> roles, Duration ttl) {
        static final long MAX_TTL_SECONDS = Duration.ofDays(30).toSeconds();

        static TokenRequest from(RequestValidator validator) {
            validator.allowOnly("subject", "role", "roles", "ttlSeconds");
            String subject = validator.optionalText("subject", MAX_SUBJECT);
            if (validator.valid() && (subject == null || subject.isBlank())) {
                validator.reject(new Problem.FieldError("subject", RequestValidator.REQUIRED));
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            String roleName = validator.optionalText("role", 16);
            if (roleName != null) {
                addRole(validator, roles, "role", roleName);
            }
            if (validator.raw("roles") != null) {
                List<JsonNode> names = validator.array("roles", 1, Role.values().length);
                for (int i = 0; i < names.size(); i++) {
                    addRole(validator, roles, "roles[" + i + "]", names.get(i).asText(""));
                }
            }
            Duration ttl = ttl(validator);
            validator.throwIfInvalid();
            return new TokenRequest(subject.strip(), roles.isEmpty() ? Set.of(Role.CUSTOMER) : roles, ttl);
        }

        private static void addRole(RequestValidator validator, Set<Role> roles, String field, String name) {
            Role.parse(name).ifPresentOrElse(roles::add,
                    () -> validator.reject(new Problem.FieldError(field, ROLE_UNKNOWN)));
        }

        private static Duration ttl(RequestValidator validator) {
            JsonNode seconds = validator.raw("ttlSeconds");
            if (seconds == null || seconds.isNull()) {
                return DevTokens.DEFAULT_TTL;
            }
            if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 1
                    || seconds.asLong() > MAX_TTL_SECONDS) {
                validator.reject(new Problem.FieldError("ttlSeconds", TTL_OUT_OF_RANGE));
                return DevTokens.DEFAULT_TTL;
            }
            return Duration.ofSeconds(seconds.asLong());
        }
    }
}
