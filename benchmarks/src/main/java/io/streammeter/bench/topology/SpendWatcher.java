package io.streammeter.bench.topology;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads {@code spend-hourly} as a billing backend would (read_committed), from the offsets it had
 * when the watcher was created, and hands every row to a listener on its own thread.
 */
final class SpendWatcher implements AutoCloseable {

    /** Receives each row, on the watcher's thread. */
    interface Listener {
        void onRow(String key, SpendAggregate row, long nowNanos);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, SpendAggregate> topic;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean stopped;

    SpendWatcher(String bootstrap, Topic<String, SpendAggregate> topic, Listener listener) {
        this.consumer = Clients.rawConsumer(bootstrap, true);
        this.topic = topic;
        this.listener = listener;
        List<TopicPartition> partitions = Clients.partitions(topic);
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        ends.forEach(consumer::seek);
        this.thread = new Thread(this::run, "spend-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                long now = System.nanoTime();
                SpendAggregate row =
                        topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
                listener.onRow(record.key(), row, now);
            }
        }
        consumer.close();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
    }
}
