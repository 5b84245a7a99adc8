package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipBodyTest {

    @Test
    void shouldGzipPiecesIntoOneStreamThatDecodesToTheirConcatenation() throws IOException {
        GzipBody gzip = new GzipBody();
        StringBuilder plain = new StringBuilder();
        Buffer out = Buffer.buffer();
        for (int i = 0; i < 50; i++) {
            String piece =
                    "data: {\"n\":" + i + ",\"text\":\"é€😀 " + "x".repeat(i * 40) + "\"}\n\n";
            plain.append(piece);
            out.appendBuffer(gzip.encode(piece.getBytes(StandardCharsets.UTF_8)));
        }
        out.appendBuffer(gzip.finish());

        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(out.getBytes()))) {
            assertArrayEquals(plain.toString().getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }

    @Test
    void shouldFlushEachPieceSoItDecodesBeforeTheEnd() throws IOException {
        GzipBody gzip = new GzipBody();
        byte[] first = gzip.encode("data: one\n\n".getBytes(StandardCharsets.UTF_8)).getBytes();
        gzip.close();

        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(first))) {
            byte[] decoded = in.readNBytes(11);
            assertEquals("data: one\n\n", new String(decoded, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldAcceptGzipOnlyWhenTheClientDoes() {
        assertTrue(GzipBody.accepted("gzip"));
        assertTrue(GzipBody.accepted("br, gzip;q=0.8"));
        assertTrue(GzipBody.accepted("*"));
        assertFalse(GzipBody.accepted(null));
        assertFalse(GzipBody.accepted("br, deflate"));
        assertFalse(GzipBody.accepted("gzip;q=0"));
    }
}
