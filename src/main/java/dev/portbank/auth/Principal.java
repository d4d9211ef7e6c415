package dev.portbank.auth;

import dev.portbank.platform.ApiException;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.RequestId;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import java.util.Set;

/** The authenticated caller: the token's {@code sub} and its roles. */
public record Principal(String subject, Set<Role> roles) {
    private static final EventLog AUDIT = EventLog.named("audit");

    public Principal {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a principal needs a subject");
        }
        roles = roles.isEmpty() ? Set.of(Role.CUSTOMER) : Set.copyOf(roles);
    }

    /** The principal the authentication filter attached to this request. */
    public static Principal of(ServerRequest request) {
        return request.context().get(Principal.class)
                .orElseThrow(() -> new IllegalStateException("no principal on an authenticated route"));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Tellers and admins see every account; customers only their own. */
    public boolean canRead(String owner) {
        return has(Role.TELLER) || has(Role.ADMIN) || subject.equals(owner);
    }

    /**
     * Whether this principal may read what {@code owner} owns. A teller's or admin's read of someone else's data is
     * audited, and so is a refusal (which the caller answers like an unknown id).
     */
    public boolean mayRead(String owner, String action, Object target) {
        if (subject.equals(owner)) {
            return true;
        }
        if (has(Role.TELLER) || has(Role.ADMIN)) {
            AUDIT.info("read-others-data", "principal", subject, "action", action, "target", target,
                    "outcome", "allowed", "role", has(Role.ADMIN) ? "admin" : "teller", "requestId",
                    RequestId.current());
            return true;
        }
        AUDIT.warn("authorization-refused", "principal", subject, "action", action, "target", target,
                "outcome", "404", "requestId", RequestId.current());
        return false;
    }

    /** Only admins move money out of an account they do not own. */
    public boolean mustOwnDebitedAccount() {
        return !has(Role.ADMIN);
    }

    /** Throws 403 unless this principal has the role (admins have every role); a refusal is audited. */
    public void require(Role role, String action) {
        require(role, action, "-");
    }

    /** Like {@link #require(Role, String)}, naming what the action was aimed at in the audit line. */
    public void require(Role role, String action, Object target) {
        if (has(role) || has(Role.ADMIN)) {
            return;
        }
        AUDIT.warn("authorization-refused", "principal", subject, "action", action, "target", target,
                "outcome", "forbidden", "requiredRole", role.claimValue(), "requestId", RequestId.current());
        throw ApiException.of(Status.FORBIDDEN_403, "forbidden", "Forbidden",
                action + " needs the " + role.claimValue() + " role");
    }
}
