package dev.portbank.image;

import com.github.dockerjava.api.model.Network;
import dev.portbank.testing.BackingServices;
import dev.portbank.testing.TcpProxy;
import dev.portbank.testing.TestDatabase;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tests' shared PostgreSQL (a database of the test's own) and Redis ({@link BackingServices}), as containers reach
 * them. The local ones listen on loopback only, so a forwarder on the address of Docker's default bridge on this host
 * relays to each: reachable from this machine's containers, not beyond it, and nothing in the services' configuration
 * changes.
 */
final class HostServices implements AutoCloseable {
    /** The name containers use for this host, as in Docker Desktop. */
    static final String HOST_NAME = "host.docker.internal";

    private final TestDatabase database;
    private final InetAddress gateway;
    private final TcpProxy postgres;
    private final TcpProxy redis;

    private HostServices(TestDatabase database, InetAddress gateway, TcpProxy postgres, TcpProxy redis) {
        this.database = database;
        this.gateway = gateway;
        this.postgres = postgres;
        this.redis = redis;
    }

    static HostServices start() {
        TestDatabase database = TestDatabase.create();
        InetAddress gateway = bridgeGateway();
        var url = database.databaseUrl();
        URI redis = URI.create(BackingServices.redisUrl());
        return new HostServices(database, gateway,
                TcpProxy.listeningOn(gateway, url.host(), url.port()),
                TcpProxy.listeningOn(gateway, redis.getHost(), redis.getPort()));
    }

    TestDatabase database() {
        return database;
    }

    /** The address that {@link #HOST_NAME} resolves to inside the containers. */
    String gatewayAddress() {
        return gateway.getHostAddress();
    }

    /** The settings every container of the test gets: the backing services, and development tokens. */
    Map<String, String> environment() {
        var url = database.databaseUrl();
        Map<String, String> environment = new HashMap<>(Map.of(
                "DATABASE_URL", databaseUrl(database),
                "DATABASE_USER", url.user().orElse("postgres"),
                "REDIS_URL", "redis://" + HOST_NAME + ":" + redis.port(),
                "AUTH_DEV_MODE", "true",
                "AUTH_DEV_MODE_ALLOW_REMOTE", "true",
                "LOG_FORMAT", "text"));
        url.password().ifPresent(password -> environment.put("DATABASE_PASSWORD", password));
        return environment;
    }

    /** The DATABASE_URL under which containers reach another database on the same server. */
    String databaseUrl(TestDatabase other) {
        return "postgres://" + HOST_NAME + ":" + postgres.port() + "/" + other.databaseUrl().database();
    }

    @Override
    public void close() {
        postgres.close();
        redis.close();
        database.close();
    }

    /**
     * The host's address on Docker's default bridge. A fresh daemon may leave the gateway out of the network's IPAM
     * config, so the bridge interface's own address is the fallback.
     */
    private static InetAddress bridgeGateway() {
        Network bridge = PortBankImage.docker().inspectNetworkCmd().withNetworkId("bridge").exec();
        Optional<String> configured = bridge.getIpam().getConfig().stream()
                .map(Network.Ipam.Config::getGateway).filter(Objects::nonNull).findFirst();
        try {
            if (configured.isPresent()) {
                return InetAddress.getByName(configured.get());
            }
            String name = bridge.getOptions().getOrDefault("com.docker.network.bridge.name", "docker0");
            NetworkInterface bridgeInterface = NetworkInterface.getByName(name);
            if (bridgeInterface != null) {
                Optional<InetAddress> address = bridgeInterface.inetAddresses()
                        .filter(Inet4Address.class::isInstance).findFirst();
                if (address.isPresent()) {
                    return address.get();
                }
            }
        } catch (UnknownHostException | SocketException e) {
            throw new AssertionError("cannot read the address of Docker's default bridge", e);
        }
        throw new AssertionError("found no gateway address of Docker's default bridge network");
    }
}
