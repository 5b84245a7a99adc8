package io.streammeter.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record, in Avro single-object encoding: two marker bytes, the
 * writer schema's 64-bit fingerprint, then the binary datum. Readers resolve every released version
 * of the schema ({@link SchemaHistory}) without a registry; bytes from any other schema fail with
 * an error naming the fingerprint and the topic.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    static {
        AvroTrust.install();
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type, Schema schema) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        SchemaHistory.versions(schema.getName()).forEach(decoder::addSchema);
    }

    /** A serde for a generated record class, such as {@code AvroSerde.of(StreamEvent.class)}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SpecificData.get().getSchema(type));
    }

    public Class<T> type() {
        return type;
    }

    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + type.getSimpleName() + " for topic " + topic, e);
        }
    }

    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw new SerializationException(
                    String.format(
                            "Unknown Avro schema fingerprint %s on topic %s: not a known version"
                                    + " of %s",
                            fingerprint(data), topic, type.getSimpleName()),
                    e);
        } catch (BadHeaderException e) {
            throw new SerializationException(
                    "Record on topic " + topic + " is not Avro single-object encoded", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot decode " + type.getSimpleName() + " from topic " + topic, e);
        }
    }

    /** The writer fingerprint of a single-object encoded record, as Avro prints it (hex). */
    static String fingerprint(byte[] data) {
        if (data.length < 10) {
            return "(truncated header)";
        }
        long fp = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return String.format("0x%016x", fp);
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    @Override
    public void close() {}
}
