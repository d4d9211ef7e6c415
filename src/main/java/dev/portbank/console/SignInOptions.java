package dev.portbank.console;

import dev.portbank.config.Settings;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ways the console offers to sign in, told to the page as {@code data-} attributes of its body (no inline
 * script): a pasted bearer token always, "sign in as" while development tokens are accepted, and the
 * authorization-code flow with PKCE when an OpenID provider is configured.
 */
record SignInOptions(boolean devTokens, Optional<Settings.Oidc> oidc) {

    static SignInOptions from(Settings settings) {
        return new SignInOptions(settings.auth().devTokensAccepted(), settings.console().oidc());
    }

    /** The body's attributes, escaped for an HTML attribute value. */
    String bodyAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("data-dev-sign-in", Boolean.toString(devTokens));
        oidc.ifPresent(provider -> {
            attributes.put("data-oidc-issuer", provider.issuer().toString());
            attributes.put("data-oidc-client-id", provider.clientId());
            attributes.put("data-oidc-scope", provider.scope());
        });
        StringBuilder html = new StringBuilder();
        attributes.forEach((name, value) -> html.append(' ').append(name).append("=\"").append(escape(value))
                .append('"'));
        return html.toString().strip();
    }

    /** Where the page may connect besides itself: the provider's origin, for discovery and the code exchange. */
    Optional<String> providerOrigin() {
        return oidc.map(provider -> origin(provider.issuer()));
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
