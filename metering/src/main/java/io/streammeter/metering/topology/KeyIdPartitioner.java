package io.streammeter.metering.topology;

import io.streammeter.metering.domain.SpendKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions spend by key id alone (the part of {@code keyId|model} before the bar), so all of a
 * key's models live in one partition and one instance answers a key's spend. The query API uses it
 * to find that instance.
 */
public final class KeyIdPartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int partitions) {
        return Optional.of(Set.of(partition(key, partitions)));
    }

    static int partition(String key, int partitions) {
        byte[] keyId = SpendKey.keyIdOf(key).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(keyId)) % partitions;
    }
}
