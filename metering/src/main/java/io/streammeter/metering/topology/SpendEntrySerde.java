package io.streammeter.metering.topology;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.SpendEntry;
import io.streammeter.metering.domain.SpendEntry.Effect;
import io.streammeter.schemas.AvroSerde;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Spend entries on the repartition topic: one byte for the effect, then the Avro line item. */
public final class SpendEntrySerde implements Serde<SpendEntry> {
    private static final byte ADD = 'A';
    private static final byte RETRACT = 'R';

    private final AvroSerde<StreamSummary> lineItems = AvroSerde.of(StreamSummary.class);

    @Override
    public Serializer<SpendEntry> serializer() {
        return (topic, entry) -> {
            if (entry == null) {
                return null;
            }
            byte[] item = lineItems.serialize(topic, entry.lineItem());
            byte[] bytes = new byte[item.length + 1];
            bytes[0] = entry.effect() == Effect.ADD ? ADD : RETRACT;
            System.arraycopy(item, 0, bytes, 1, item.length);
            return bytes;
        };
    }

    @Override
    public Deserializer<SpendEntry> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 2 || (bytes[0] != ADD && bytes[0] != RETRACT)) {
                throw new SerializationException("Not a spend entry on " + topic);
            }
            Effect effect = bytes[0] == ADD ? Effect.ADD : Effect.RETRACT;
            return new SpendEntry(
                    effect,
                    lineItems.deserialize(topic, Arrays.copyOfRange(bytes, 1, bytes.length)));
        };
    }
}
