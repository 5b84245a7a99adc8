package io.streammeter.metering.topology;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.ClosedStream;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.schemas.AvroSerde;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Closed-stream markers: {@code int revision}, then for a correctable stream {@code int length} and
 * the fold as JSON, then the last line item in Avro single-object encoding. A complete stream's
 * marker is four bytes.
 */
public final class ClosedStreamSerde implements Serde<ClosedStream> {
    private final JsonSerde<OpenStream> folds = new JsonSerde<>(OpenStream.class);
    private final AvroSerde<StreamSummary> lineItems = AvroSerde.of(StreamSummary.class);

    byte[] serialize(ClosedStream marker) {
        if (marker == null) {
            return null;
        }
        if (!marker.correctable()) {
            return ByteBuffer.allocate(4).putInt(marker.revision()).array();
        }
        byte[] fold = folds.serialize(marker.fold());
        byte[] item = lineItems.serialize(null, marker.lastLineItem());
        return ByteBuffer.allocate(8 + fold.length + item.length)
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
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int revision = buffer.getInt();
        if (!buffer.hasRemaining()) {
            return new ClosedStream(revision, null, null);
        }
        int foldLength = buffer.getInt();
        byte[] fold = Arrays.copyOfRange(bytes, 8, 8 + foldLength);
        byte[] item = Arrays.copyOfRange(bytes, 8 + foldLength, bytes.length);
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
