package io.streammeter.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a bare socket, to see what a client library hides: whether a chunked body ended
 * with its terminating chunk or the connection simply closed.
 *
 * @param head the status line and headers
 * @param body the de-chunked body bytes received
 * @param terminated whether the zero-length last chunk arrived
 */
record Wire(String head, byte[] body, boolean terminated) {

    /** Sends a POST with {@code Connection: close} and reads until the server closes. */
    static Wire post(int port, String path, String script, String json) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            send(socket, path, script, json, "close");
            return read(socket.getInputStream());
        }
    }

    static void send(Socket socket, String path, String script, String json, String connection)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head =
                "POST "
                        + path
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: "
                        + body.length
                        + "\r\nConnection: "
                        + connection
                        + "\r\n"
                        + Script.HEADER
                        + ": "
                        + script
                        + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    static Wire read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new AssertionError("no complete head in: " + text);
        }
        String head = text.substring(0, headEnd);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = headEnd + 4;
        if (!head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body.write(all, at, all.length - at);
            return new Wire(head, body.toByteArray(), false);
        }
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return new Wire(head, body.toByteArray(), false);
            }
            int size = Integer.parseInt(text.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return new Wire(head, body.toByteArray(), true);
            }
            int dataStart = lineEnd + 2;
            int available = Math.min(size, all.length - dataStart);
            body.write(all, dataStart, available);
            if (available < size) {
                return new Wire(head, body.toByteArray(), false);
            }
            at = dataStart + size + 2;
        }
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
