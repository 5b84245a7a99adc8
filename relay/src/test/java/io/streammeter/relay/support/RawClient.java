package io.streammeter.relay.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a bare socket, for what ordinary clients hide: reading a streamed body
 * slowly or not at all, closing mid-stream, and telling a clean end from a broken connection.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int status;
    private boolean chunked;
    private long remaining = -1;
    private boolean ended;
    private boolean broken;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Sends a POST and returns before reading anything.
     *
     * @param receiveBuffer socket receive buffer in bytes, or 0 for the system's
     */
    public static RawClient post(
            int port, String path, String json, int receiveBuffer, String... headers) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head =
                    new StringBuilder(
                                    "POST "
                                            + path
                                            + " HTTP/1.1\r\nHost: 127.0.0.1:"
                                            + port
                                            + "\r\n")
                            .append("Content-Type: application/json\r\nContent-Length: ")
                            .append(bytes.length)
                            .append("\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            head.append("\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the status line and headers. */
    public RawClient readHead() {
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (headers.containsKey("content-length")) {
            remaining = Long.parseLong(headers.get("content-length"));
        }
        return this;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Reads body bytes until the decoded body contains {@code marker}; false at the end first. */
    public boolean readUntil(String marker) {
        while (!text().contains(marker)) {
            if (!readSome()) {
                return false;
            }
        }
        return true;
    }

    /** Reads the whole body: to the last chunk, the length, or the connection's end. */
    public RawClient readToEnd() {
        while (readSome()) {
            // keep reading
        }
        return this;
    }

    /** Whether the body ended as HTTP says it should (last chunk, or the full length). */
    public boolean endedCleanly() {
        return ended && !broken;
    }

    public byte[] body() {
        return body.toByteArray();
    }

    public String text() {
        return body.toString(StandardCharsets.UTF_8);
    }

    private boolean readSome() {
        if (ended) {
            return false;
        }
        try {
            if (chunked) {
                String size = line();
                int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (length == 0) {
                    line();
                    ended = true;
                    return false;
                }
                body.write(in.readNBytes(length));
                line();
                return true;
            }
            byte[] some = new byte[8192];
            int n =
                    in.read(
                            some,
                            0,
                            (int) Math.min(some.length, remaining < 0 ? some.length : remaining));
            if (n < 0) {
                ended = true;
                broken = remaining > 0;
                return false;
            }
            body.write(some, 0, n);
            remaining -= remaining < 0 ? 0 : n;
            if (remaining == 0) {
                ended = true;
            }
            return !ended;
        } catch (IOException | RuntimeException e) {
            ended = true;
            broken = true;
            return false;
        }
    }

    private String line() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-line");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }
}
