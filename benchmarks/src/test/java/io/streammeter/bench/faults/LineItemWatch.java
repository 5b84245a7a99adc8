package io.streammeter.bench.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When committed line items arrive on stream-summaries, read as a billing backend would ({@code
 * read_committed}): the longest gap between two arrivals is how long billing paused.
 */
final class LineItemWatch implements AutoCloseable {
    private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    LineItemWatch(String bootstrap, String topic) {
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        thread = new Thread(this::watch, "line-item-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running.get()) {
            long now = System.nanoTime();
            consumer.poll(Duration.ofMillis(50)).forEach(r -> arrivals.add(now));
        }
        consumer.close();
    }

    /**
     * The longest wait between two line items (or from {@code from} to the first) among those that
     * arrived after {@code from}, in milliseconds.
     */
    long longestPauseAfter(long from) {
        List<Long> times = arrivals.stream().filter(t -> t >= from).sorted().toList();
        long longest = 0;
        long previous = from;
        for (long t : times) {
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return longest / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
