package dev.portbank.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, read from the classpath once at startup, and their version: a hash of all their bytes, which
 * is part of every asset URL, so a browser may cache an asset forever and still never runs a stale one.
 */
final class ConsoleAssets {
    /** Every file the page may load; ES modules import each other relatively, so they share one versioned folder. */
    static final List<String> FILES = List.of("console.css", "app.js", "api.js", "session.js", "oidc.js",
            "forms.js", "money.js", "chart.js", "views.js");
    static final String INDEX = "index.html";
    private static final String FOLDER = "console/";

    /** One file: its bytes and the Content-Type it is served with. */
    record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets;
    private final String version;
    private final String indexTemplate;

    private ConsoleAssets(Map<String, Asset> assets, String version, String indexTemplate) {
        this.assets = assets;
        this.version = version;
        this.indexTemplate = indexTemplate;
    }

    static ConsoleAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        MessageDigest digest = sha256();
        for (String file : FILES) {
            byte[] bytes = read(file);
            digest.update(file.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
            assets.put(file, new Asset(bytes, contentType(file)));
        }
        String version = HexFormat.of().formatHex(digest.digest(), 0, 8);
        return new ConsoleAssets(Map.copyOf(assets), version, new String(read(INDEX), StandardCharsets.UTF_8));
    }

    /** The content hash in asset URLs: {@code /console/<version>/app.js}. */
    String version() {
        return version;
    }

    Optional<Asset> find(String version, String file) {
        return this.version.equals(version) ? Optional.ofNullable(assets.get(file)) : Optional.empty();
    }

    /** {@code index.html} as shipped, with its {@code {{...}}} placeholders still in it. */
    String indexTemplate() {
        return indexTemplate;
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes), 0, 8);
    }

    private static String contentType(String file) {
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        throw new IllegalStateException("no content type for console file " + file);
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("console file " + FOLDER + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
