package dev.portbank.loadgen;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over one keep-alive connection, opened on first use and again after a failure. Much lighter than the JDK
 * client per request, which matters when the generator shares the machine with the server it measures.
 */
final class SocketTransport implements Transport {
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final boolean tls;
    private final String hostHeader;
    private final String pathPrefix;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SocketTransport(URI baseUrl) {
        this.tls = "https".equalsIgnoreCase(baseUrl.getScheme());
        this.host = baseUrl.getHost();
        this.port = baseUrl.getPort() != -1 ? baseUrl.getPort() : tls ? 443 : 80;
        this.hostHeader = baseUrl.getRawAuthority();
        this.pathPrefix = Transport.pathPrefix(baseUrl);
    }

    @Override
    public Response send(Request request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(encode(request));
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a broken connection: nothing left to do.
            }
            socket = null;
        }
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.setSoTimeout(TIMEOUT_MILLIS);
        plain.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        socket = tls ? secure(plain) : plain;
        in = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
        out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
    }

    private SSLSocket secure(Socket plain) throws IOException {
        SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        return secure;
    }

    private byte[] encode(Request request) {
        byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append(request.method()).append(' ').append(pathPrefix).append(request.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("User-Agent: portbank-loadgen\r\n");
        if (request.token() != null) {
            head.append("Authorization: Bearer ").append(request.token()).append("\r\n");
        }
        if (request.idempotencyKey() != null) {
            head.append("Idempotency-Key: ").append(request.idempotencyKey()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return headBytes;
        }
        byte[] message = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        return message;
    }

    private Response readResponse() throws IOException {
        int status = statusOf(readLine());
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String value = line.substring(colon + 1).trim();
            switch (line.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        byte[] body = hasNoBody(status) ? new byte[0]
                : chunked ? readChunked()
                : contentLength >= 0 ? readExactly(contentLength)
                : readToEnd();
        if (closeAfter || (!chunked && contentLength < 0 && !hasNoBody(status))) {
            close();
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static boolean hasNoBody(int status) {
        return status / 100 == 1 || status == 204 || status == 304;
    }

    private static int statusOf(String statusLine) throws IOException {
        // "HTTP/1.1 201 Created"
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        return Integer.parseInt(parts[1]);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            readLine();
        }
    }

    private byte[] readExactly(long length) throws IOException {
        byte[] bytes = in.readNBytes(Math.toIntExact(length));
        if (bytes.length < length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** One CRLF-terminated line, without its terminator. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("connection closed by the server");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
