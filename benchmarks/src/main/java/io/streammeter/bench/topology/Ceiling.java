package io.streammeter.bench.topology;

import io.streammeter.avro.StreamEvent;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The ceiling: a plain consumer with default settings reading {@code stream-events} from the start
 * and decoding every value, which any metering of the topic must at least do.
 */
final class Ceiling {
    private Ceiling() {}

    /** Reads {@code expected} records; returns the nanoseconds it took. */
    static long read(String bootstrap, Topic<String, StreamEvent> topic, long expected) {
        try (KafkaConsumer<String, byte[]> consumer = Clients.rawConsumer(bootstrap, false)) {
            consumer.assign(Clients.partitions(topic));
            consumer.seekToBeginning(Clients.partitions(topic));
            long start = System.nanoTime();
            long deadline = start + Duration.ofMinutes(5).toNanos();
            long read = 0;
            long checksum = 0;
            while (read < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "ceiling: read " + read + " of " + expected + " in 5 minutes");
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    StreamEvent event =
                            topic.valueSerde()
                                    .deserializer()
                                    .deserialize(topic.name(), record.value());
                    checksum += event.getSequence();
                    read++;
                }
            }
            long took = System.nanoTime() - start;
            if (checksum < 0) {
                throw new IllegalStateException("impossible checksum");
            }
            return took;
        }
    }
}
