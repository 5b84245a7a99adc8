package io.streammeter.simulator;

import io.vertx.core.buffer.Buffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzips a response body piece by piece. Every piece is sync-flushed so the client can decode each
 * event as soon as it arrives, as a streaming upstream's gzip would allow. The header carries no
 * time stamp, so equal input gives equal bytes.
 */
final class GzipBody {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[8192];
    private boolean headerWritten;
    private boolean closed;
    private long size;

    /** Whether an {@code Accept-Encoding} header value admits gzip. */
    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] codingAndParams = part.trim().split(";");
            String coding = codingAndParams[0].trim();
            boolean zeroQ =
                    codingAndParams.length > 1 && codingAndParams[1].trim().matches("q=0(\\.0*)?");
            if ((coding.equalsIgnoreCase("gzip") || coding.equals("*")) && !zeroQ) {
                return true;
            }
        }
        return false;
    }

    /** Compresses one piece and flushes it. */
    Buffer encode(byte[] piece) {
        crc.update(piece);
        size += piece.length;
        deflater.setInput(piece);
        return drain(Deflater.SYNC_FLUSH);
    }

    /** The rest of the stream: the final deflate block and the gzip trailer. Frees the deflater. */
    Buffer finish() {
        deflater.finish();
        Buffer out = drain(Deflater.FULL_FLUSH);
        out.appendIntLE((int) crc.getValue()).appendIntLE((int) size);
        close();
        return out;
    }

    /** Frees the native deflater; safe to call more than once. */
    void close() {
        if (!closed) {
            closed = true;
            deflater.end();
        }
    }

    private Buffer drain(int flush) {
        Buffer out = Buffer.buffer(256);
        if (!headerWritten) {
            out.appendBytes(HEADER);
            headerWritten = true;
        }
        while (true) {
            int n = deflater.deflate(scratch, 0, scratch.length, flush);
            out.appendBytes(scratch, 0, n);
            // A sync flush is complete once deflate leaves room in the buffer; a finish once
            // the deflater says so.
            boolean done = flush == Deflater.SYNC_FLUSH ? n < scratch.length : deflater.finished();
            if (done) {
                return out;
            }
        }
    }
}
