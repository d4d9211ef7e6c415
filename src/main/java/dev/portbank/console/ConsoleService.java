package dev.portbank.console;

import dev.portbank.config.Settings;
import dev.portbank.platform.Json;
import dev.portbank.platform.Problem;
import dev.portbank.platform.Routes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /}: the console's page, revalidated on every visit; {@code GET /console/<version>/<file>}: its scripts
 * and styles, cached for a year since their URL changes with their content. Every answer carries the same strict
 * security headers: scripts and styles only from this origin, nothing inline, no framing, no referrer.
 */
public final class ConsoleService implements HttpService {
    static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    private final ConsoleAssets assets;
    private final byte[] index;
    private final String indexTag;
    private final String contentSecurityPolicy;

    private ConsoleService(ConsoleAssets assets, SignInOptions signIn) {
        this.assets = assets;
        this.index = assets.indexTemplate()
                .replace("{{version}}", assets.version())
                .replace("{{sign-in}}", signIn.bodyAttributes())
                .getBytes(StandardCharsets.UTF_8);
        this.indexTag = "\"" + ConsoleAssets.sha256Hex(index) + "\"";
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'" + signIn.providerOrigin().map(origin -> " " + origin).orElse("")
                + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** The console for these settings; fails at startup, not at the first visit, if a file is missing. */
    public static ConsoleService create(Settings settings) {
        return new ConsoleService(ConsoleAssets.load(), SignInOptions.from(settings));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::getPage)
                .any("/", Routes.methodNotAllowed(Method.GET))
                .get("/console/{version}/{file}", this::getAsset)
                .any("/console/{version}/{file}", Routes.methodNotAllowed(Method.GET));
    }

    private void getPage(ServerRequest request, ServerResponse response) {
        secure(response);
        response.header(HeaderNames.CACHE_CONTROL, REVALIDATE);
        response.header(HeaderNames.ETAG, indexTag);
        if (request.headers().first(HeaderNames.IF_NONE_MATCH).filter(indexTag::equals).isPresent()) {
            response.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        response.send(index);
    }

    private void getAsset(ServerRequest request, ServerResponse response) {
        secure(response);
        var parameters = request.path().pathParameters();
        assets.find(parameters.get("version"), parameters.get("file")).ifPresentOrElse(asset -> {
            response.header(HeaderNames.CACHE_CONTROL, IMMUTABLE);
            response.header(HeaderNames.CONTENT_TYPE, asset.contentType());
            response.send(asset.bytes());
        }, () -> {
            // An old version's URL, after a deploy: never cache this answer under it.
            response.header(HeaderNames.CACHE_CONTROL, "no-store");
            Json.sendProblem(response, Problem.of(Status.NOT_FOUND_404, "not-found", "Not found",
                    "no console file at " + request.prologue().uriPath().path()
                            + "; reload the page for the current version"));
        });
    }

    private void secure(ServerResponse response) {
        response.header(CONTENT_SECURITY_POLICY, contentSecurityPolicy);
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(REFERRER_POLICY, "no-referrer");
    }
}
