package dev.portbank.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.auth.Principal;
import dev.portbank.ratelimit.RateLimiter;
import dev.portbank.auth.Role;
import dev.portbank.ledger.LedgerRepository;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.EventLog;
import dev.portbank.platform.IdempotencyKey;
import dev.portbank.platform.Json;
import dev.portbank.platform.Page;
import dev.portbank.platform.RequestValidator;
import dev.portbank.platform.RequestId;
import dev.portbank.platform.Routes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Optional;
import java.util.UUID;

/**
 * {@code /v1/accounts}: open, read, list, balance, history and close. A customer sees only its own accounts; anyone
 * else's answers 404 exactly like an unknown id, so ids cannot be probed.
 */
public final class AccountService implements HttpService {
    private static final EventLog AUDIT = EventLog.named("audit");
    private final AccountRepository accounts;
    private final BalanceLookup balances;
    private final LedgerRepository ledger;
    private final RateLimiter openings;

    public AccountService(AccountRepository accounts, BalanceLookup balances, LedgerRepository ledger,
                          RateLimiter openings) {
        this.accounts = accounts;
        this.balances = balances;
        this.ledger = ledger;
        this.openings = openings;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::openAccount)
                .get("/", this::listAccounts)
                .any("/", Routes.methodNotAllowed(Method.GET, Method.POST))
                .get("/{id}", this::getAccount)
                .any("/{id}", Routes.methodNotAllowed(Method.GET))
                .get("/{id}/balance", this::getBalance)
                .any("/{id}/balance", Routes.methodNotAllowed(Method.GET))
                .get("/{id}/transactions", this::listTransactions)
                .any("/{id}/transactions", Routes.methodNotAllowed(Method.GET))
                .post("/{id}/close", this::closeAccount)
                .any("/{id}/close", Routes.methodNotAllowed(Method.POST));
    }

    private void openAccount(ServerRequest request, ServerResponse response) {
        Principal principal = Principal.of(request);
        openings.acquire(principal);
        Optional<String> key = IdempotencyKey.parseOptional(IdempotencyKey.of(request));
        OpenAccountRequest open = OpenAccountRequest.from(Json.readObject(request));
        Opening opening = key.map(k -> accounts.openOnce(principal.subject(), open.name(), open.currency(), k))
                .orElseGet(() -> new Opening.Opened(accounts.open(principal.subject(), open.name(), open.currency()),
                        false));
        switch (opening) {
            case Opening.Opened opened -> {
                Account account = opened.account();
                AUDIT.info("account-opened", "principal", principal.subject(), "action", "open-account",
                        "target", account.id(), "currency", account.currency(),
                        "outcome", opened.replayed() ? "replayed" : "completed", "requestId", RequestId.current());
                if (opened.replayed()) {
                    response.header(IdempotencyKey.REPLAYED, "true");
                }
                response.header(HeaderNames.LOCATION, "/v1/accounts/" + account.id());
                Json.send(response, Status.CREATED_201, account);
            }
            case Opening.KeyReused reused -> {
                AUDIT.info("account-opened", "principal", principal.subject(), "action", "open-account",
                        "target", "-", "currency", open.currency(), "outcome", IdempotencyKey.REUSED_SLUG,
                        "requestId", RequestId.current());
                Json.sendProblem(response, IdempotencyKey.reused("this Idempotency-Key opened an account with "
                        + "another currency or name; use a new key to open another account"));
            }
        }
    }

    private void listAccounts(ServerRequest request, ServerResponse response) {
        Principal principal = Principal.of(request);
        int limit = Page.limit(request);
        boolean everyone = principal.has(Role.TELLER) || principal.has(Role.ADMIN);
        Optional<String> owner = everyone ? Optional.empty() : Optional.of(principal.subject());
        if (everyone) {
            AUDIT.info("read-others-data", "principal", principal.subject(), "action", "list every account",
                    "target", "-", "outcome", "allowed", "requestId", RequestId.current());
        }
        var rows = accounts.list(owner, Page.after(request), limit + 1);
        var items = rows.subList(0, Math.min(limit, rows.size()));
        String next = rows.size() > limit ? Page.cursor(items.getLast().position()) : null;
        Json.send(response, Status.OK_200, new Page<>(items, next));
    }

    private void getAccount(ServerRequest request, ServerResponse response) {
        Json.send(response, Status.OK_200, readable(request));
    }

    private void getBalance(ServerRequest request, ServerResponse response) {
        UUID id = Routes.uuidParam(request, "id", "account");
        Principal principal = Principal.of(request);
        Balance balance = balances.balance(id)
                .filter(found -> mayRead(principal, found.owner(), "read balance", id))
                .orElseThrow(() -> ApiException.notFound("account " + id));
        Json.send(response, Status.OK_200, balance);
    }

    private void listTransactions(ServerRequest request, ServerResponse response) {
        Account account = readable(request);
        int limit = Page.limit(request);
        Json.send(response, Status.OK_200, ledger.history(account.id(), Page.after(request), limit));
    }

    private void closeAccount(ServerRequest request, ServerResponse response) {
        Account account = findVisible(request, false);
        Principal principal = Principal.of(request);
        if (!principal.subject().equals(account.owner())) {
            principal.require(Role.ADMIN, "closing someone else's account", account.id());
        }
        Optional<Account> closed = accounts.closeIfEmpty(account.id());
        AUDIT.info("account-closed", "principal", principal.subject(), "action", "close-account",
                "target", account.id(), "outcome", closed.isPresent() ? "completed" : "balance-not-zero",
                "requestId", RequestId.current());
        Json.send(response, Status.OK_200, closed.orElseThrow(() -> ApiException.of(
                Status.UNPROCESSABLE_CONTENT_422, "balance-not-zero", "Balance not zero",
                "only an account with a zero balance can be closed; move the money out first")));
    }

    /** The account named by the path, if this principal may see it; 404 otherwise. */
    private Account readable(ServerRequest request) {
        return findVisible(request, true);
    }

    /**
     * The account named by the path, if this principal may see it; 404 otherwise. {@code isRead} says whether the
     * caller shows it (a read of someone else's data is audited) or acts on it (the action audits itself).
     */
    private Account findVisible(ServerRequest request, boolean isRead) {
        UUID id = Routes.uuidParam(request, "id", "account");
        Principal principal = Principal.of(request);
        String action = request.prologue().method().text() + " " + request.prologue().uriPath().path();
        return accounts.find(id)
                .filter(account -> !isRead && principal.canRead(account.owner())
                        || mayRead(principal, account.owner(), action, id))
                .orElseThrow(() -> ApiException.notFound("account " + id));
    }

    /** Someone else's account is answered like an unknown one; reads of others' data and refusals are audited. */
    private static boolean mayRead(Principal principal, String owner, String action, UUID account) {
        return principal.mayRead(owner, action, account);
    }

    /** The body of {@code POST /v1/accounts}. */
    record OpenAccountRequest(String currency, String name) {
        static OpenAccountRequest from(JsonNode body) {
            var validator = new RequestValidator(body);
            validator.allowOnly("currency", "name");
            String currency = validator.currency("currency");
            String name = validator.optionalText("name", 100);
            validator.throwIfInvalid();
            return new OpenAccountRequest(currency, name == null ? currency + " account" : name);
        }
    }
}
