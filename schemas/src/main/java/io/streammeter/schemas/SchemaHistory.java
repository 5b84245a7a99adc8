package io.streammeter.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record's schema, kept under {@code schema-history/<Record>/vN.avsc}
 * on the classpath. Decoders learn them so data written by an older relay or metering stays
 * readable, and the compatibility test checks the current schema against each.
 */
public final class SchemaHistory {
    private static final String ROOT = "schema-history/";

    private SchemaHistory() {}

    /** Released versions of the record with this simple name, oldest first; empty if none. */
    public static List<Schema> versions(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = ROOT + recordName + "/v" + v + ".avsc";
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
        }
    }
}
