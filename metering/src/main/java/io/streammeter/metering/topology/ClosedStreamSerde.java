package io.streammeter.metering.topology;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.ClosedStream;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.schemas.AvroSerde;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Closed-stream markers: the format version ({@value #VERSION}), {@code int revision}, then for a
 * correctable stream {@code int length} and the fold ({@link JsonSerde#folds}, versioned itself),
 * then the last line item in Avro single-object encoding. A complete stream's marker is five bytes.
 * Markers written before the version existed (version 0) begin with the revision, whose first byte
 * is 0 for any revision below 2^24, and are still read.
 */
public final class ClosedStreamSerde implements Serde<ClosedStream> {
    /** The format version this release writes. */
    public static final byte VERSION = 1;

    private final JsonSerde<OpenStream> folds = JsonSerde.folds();
    private final AvroSerde<StreamSummary> lineItems = AvroSerde.of(StreamSummary.class);

    byte[] serialize(ClosedStream marker) {
        if (marker == null) {
            return null;
        }
        if (!marker.correctable()) {
            return ByteBuffer.allocate(5).put(VERSION).putInt(marker.revision()).array();
        }
        byte[] fold = folds.serialize(marker.fold());
        byte[] item = lineItems.serialize(null, marker.lastLineItem());
        return ByteBuffer.allocate(9 + fold.length + item.length)
                .put(VERSION)
                .putInt(marker.revision())
                .putInt(fold.length)
                .put(fold)
                .put(item)
                .array();
    }

    ClosedStream deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int start;
        if (bytes.length > 0 && bytes[0] == VERSION) {
            start = 1;
        } else if (bytes.length > 0 && bytes[0] == 0) {
            start = 0; // version 0: no version byte
        } else {
            throw new SerializationException(
                    "Cannot read a closed-stream marker: format version "
                            + (bytes.length == 0 ? "(none)" : bytes[0])
                            + ", this release reads up to "
                            + VERSION
                            + " (written by a later release?)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, bytes.length - start);
        int revision = buffer.getInt();
        if (!buffer.hasRemaining()) {
            return new ClosedStream(revision, null, null);
        }
        int foldLength = buffer.getInt();
        int foldStart = start + 8;
        byte[] fold = Arrays.copyOfRange(bytes, foldStart, foldStart + foldLength);
        byte[] item = Arrays.copyOfRange(bytes, foldStart + foldLength, bytes.length);
        return new ClosedStream(
                revision, folds.deserialize(fold), lineItems.deserialize(null, item));
    }

    @Override
    public Serializer<ClosedStream> serializer() {
        return (topic, value) -> serialize(value);
    }

    @Override
    public Deserializer<ClosedStream> deserializer() {
        return (topic, bytes) -> deserialize(bytes);
    }
}
