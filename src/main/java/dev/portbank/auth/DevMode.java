package dev.portbank.auth;

import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;

/**
 * Where development mode may run. Its {@code POST /dev/tokens} mints any token for whoever reaches the API, admin
 * tokens included: PortBank then binds loopback only, unless {@code AUTH_DEV_MODE_ALLOW_REMOTE=true} says the
 * network around it is private (a container or a development cluster reached through a port-forward).
 */
public final class DevMode {
    private DevMode() {
    }

    /** Refuses to start development mode on a non-loopback interface without the acknowledgement. */
    public static void checkBinding(Settings settings) {
        Settings.Auth auth = settings.auth();
        if (!auth.devMode() || auth.keysConfigured() || auth.devModeAllowRemote()) {
            return;
        }
        String host = settings.server().host();
        if (!Loopback.is(host)) {
            throw new StartupException("AUTH_DEV_MODE=true accepts tokens anyone can mint, so it serves loopback "
                    + "only: set HOST=127.0.0.1 (it is '" + host + "'), or AUTH_DEV_MODE_ALLOW_REMOTE=true if only "
                    + "you can reach this network");
        }
    }
}
