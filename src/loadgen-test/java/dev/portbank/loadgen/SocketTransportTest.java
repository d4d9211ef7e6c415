package dev.portbank.loadgen;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw HTTP/1.1 client against a scripted server: framing, keep-alive and reconnecting. */
class SocketTransportTest {

    @Test
    void readsLengthAndChunkedBodiesOnOneConnectionAndReconnectsAfterClose() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> requests = CompletableFuture.supplyAsync(() -> serve(server, List.of(
                    List.of("HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"b\"\r\n3\r\n:2}\r\n0\r\n\r\n",
                            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
                    List.of("HTTP/1.1 204 No Content\r\n\r\n"))));

            try (SocketTransport transport = new SocketTransport(URI.create("http://127.0.0.1:" + server.getLocalPort()
                    + "/bank/"))) {
                assertThat(transport.send(Transport.Request.post("/v1/transfers", "jwt", "key-1", "{}")))
                        .isEqualTo(new Transport.Response(201, "{\"a\":1}"));
                assertThat(transport.send(Transport.Request.get("/v1/accounts", "jwt")))
                        .isEqualTo(new Transport.Response(200, "{\"b\":2}"));
                assertThat(transport.send(Transport.Request.get("/openapi", null)).status()).isEqualTo(404);
                assertThat(transport.send(Transport.Request.get("/openapi", null)).status()).isEqualTo(204);
            }

            List<String> seen = requests.get();
            assertThat(seen.getFirst()).startsWith("POST /bank/v1/transfers HTTP/1.1\r\n")
                    .contains("Authorization: Bearer jwt\r\n", "Idempotency-Key: key-1\r\n",
                            "Content-Type: application/json\r\n", "Content-Length: 2\r\n")
                    .endsWith("\r\n\r\n{}");
            assertThat(seen.get(2)).startsWith("GET /bank/openapi HTTP/1.1\r\n").doesNotContain("Authorization");
        }
    }

    /** Accepts one connection per script and answers each request on it with the next scripted response. */
    private static List<String> serve(ServerSocket server, List<List<String>> connections) {
        List<String> requests = new ArrayList<>();
        try {
            for (List<String> script : connections) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    for (String response : script) {
                        requests.add(readRequest(in));
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                }
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            request.write(in.read());
        }
        String head = request.toString(StandardCharsets.ISO_8859_1);
        int length = head.lines().filter(line -> line.startsWith("Content-Length: "))
                .mapToInt(line -> Integer.parseInt(line.substring("Content-Length: ".length()))).findFirst().orElse(0);
        request.write(in.readNBytes(length));
        return request.toString(StandardCharsets.ISO_8859_1);
    }
}
