package io.streammeter.metering.topology;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.streammeter.metering.domain.OpenStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for the state-store records of this module (folds, markers, rate windows): Jackson's data
 * binding in Smile, its binary JSON, since every event reads and rewrites its stream's fold and
 * text JSON was a fifth of metering's CPU. Unknown fields are ignored, so a release that only adds
 * fields keeps this format version.
 *
 * <p>Bytes: the format version ({@value #VERSION}), then the Smile document. A later release that
 * changes the meaning of a field writes a higher version and still reads this one; this release
 * refuses a higher version by name instead of misreading it. Bytes written before the version
 * existed (version 0) begin with Smile's own header ({@code :)\n}) and are read with {@code
 * fromV0}, which turns their tree into this version's (a fixture test keeps each version readable:
 * {@code StateFormatTest}).
 */
public final class JsonSerde<T> implements Serde<T> {
    /** The format version this release writes. */
    public static final byte VERSION = 1;

    /** First byte of a Smile document: what version-0 bytes begin with. */
    private static final byte SMILE_HEADER = ':';

    static final ObjectMapper MAPPER =
            new ObjectMapper(new SmileFactory())
                    .registerModule(new BlackbirdModule())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .setVisibility(PropertyAccessor.ALL, Visibility.NONE)
                    .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);

    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final UnaryOperator<JsonNode> fromV0;

    /** A serde for records whose version-0 form reads as it is. */
    public JsonSerde(Class<T> type) {
        this(type, UnaryOperator.identity());
    }

    /**
     * @param fromV0 turns the tree of a version-0 record into this version's form
     */
    public JsonSerde(Class<T> type, UnaryOperator<JsonNode> fromV0) {
        this.type = type;
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
        this.fromV0 = fromV0;
    }

    /** Open folds: version 0 kept early sequence numbers as a list, this version as runs. */
    public static JsonSerde<OpenStream> folds() {
        return new JsonSerde<>(OpenStream.class, JsonSerde::foldFromV0);
    }

    public byte[] serialize(T value) {
        if (value == null) {
            return null;
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(256)) {
            out.write(VERSION);
            writer.writeValue(out, value);
            return out.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName(), e);
        }
    }

    public T deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 0) {
            throw new SerializationException("Cannot read " + type.getSimpleName() + ": no bytes");
        }
        try {
            if (bytes[0] == VERSION) {
                return reader.readValue(bytes, 1, bytes.length - 1);
            }
            if (bytes[0] == SMILE_HEADER) {
                return reader.readValue(fromV0.apply(MAPPER.readTree(bytes)));
            }
        } catch (IOException e) {
            throw new SerializationException("Cannot read " + type.getSimpleName(), e);
        }
        throw new SerializationException(
                "Cannot read "
                        + type.getSimpleName()
                        + ": state format version "
                        + bytes[0]
                        + ", this release reads up to "
                        + VERSION
                        + " (written by a later release?)");
    }

    /** Version 0's {@code seen.ahead}, sorted numbers above {@code nextExpected}, as runs. */
    static JsonNode foldFromV0(JsonNode fold) {
        JsonNode seen = fold.get("seen");
        if (!(seen instanceof ObjectNode tracker) || !seen.has("ahead")) {
            return fold;
        }
        ArrayNode runs = tracker.putArray("runs");
        long from = -1;
        long to = -1;
        for (JsonNode n : seen.get("ahead")) {
            long s = n.asLong();
            if (s == to) {
                to++;
                continue;
            }
            if (from >= 0) {
                runs.add(from).add(to);
            }
            from = s;
            to = s + 1;
        }
        if (from >= 0) {
            runs.add(from).add(to);
        }
        tracker.remove("ahead");
        return fold;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> serialize(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> deserialize(bytes);
    }
}
