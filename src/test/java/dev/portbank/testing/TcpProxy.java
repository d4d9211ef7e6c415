package dev.portbank.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between PortBank and a backing service that a test can cut, as a network failure or a restarting
 * server would: {@link #cut()} resets every open connection and refuses new ones until {@link #restore()}. It never
 * touches the server behind it.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(InetAddress listenAddress, String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(listenAddress, 0));
        Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(this::accept);
    }

    public static TcpProxy to(String host, int port) {
        return listeningOn(InetAddress.getLoopbackAddress(), host, port);
    }

    /** A proxy on another address of this machine than loopback, e.g. where containers reach the host. */
    public static TcpProxy listeningOn(InetAddress listenAddress, String host, int port) {
        try {
            return new TcpProxy(listenAddress, host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a TCP proxy on " + listenAddress.getHostAddress(), e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection through the proxy and refuses new ones. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            reset(socket);
        }
    }

    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
                } catch (IOException e) {
                    reset(client);
                    continue;
                }
                open.add(client);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: take the other down too
            } finally {
                reset(from);
                reset(to);
            }
        });
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0); // RST, as a dead server or a broken network looks to the driver
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
