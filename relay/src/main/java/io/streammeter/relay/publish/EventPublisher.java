package io.streammeter.relay.publish;

import io.streammeter.avro.StreamEvent;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes stream events to Kafka without ever blocking the caller. {@link #publish} only puts the
 * event on a bounded queue; one dedicated thread takes events off it and calls {@code send()},
 * which may block for {@code max.block.ms} when the cluster is unreachable. When the queue is full
 * the event is dropped, counted and logged with its stream id: the client's stream matters more,
 * and metering reports the hole in the sequence as lost events rather than guessing.
 */
public final class EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final StreamEvent STOP = new StreamEvent();
    private static final int BATCH = 512;

    private final Producer<String, StreamEvent> producer;
    private final String topic;
    private final RelayMetrics metrics;
    private final BlockingQueue<StreamEvent> queue;
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final FailureLog failures = new FailureLog(LOG);
    private volatile boolean closing;

    /**
     * Creates the producer and starts the publishing thread. Creating a Kafka producer resolves the
     * bootstrap servers: call this off the event loop.
     */
    public EventPublisher(
            Map<String, Object> producerConfig,
            Topic<String, StreamEvent> topic,
            int queueCapacity,
            RelayMetrics metrics) {
        this(
                new KafkaProducer<>(
                        producerConfig,
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer()),
                topic.name(),
                queueCapacity,
                metrics);
    }

    EventPublisher(
            Producer<String, StreamEvent> producer,
            String topic,
            int queueCapacity,
            RelayMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "streammeter-relay-publisher");
        thread.setDaemon(true);
        thread.start();
        metrics.gauge("relay.publish.queue", "Events waiting for the Kafka producer", queue::size);
    }

    /** Queues an event for Kafka; never blocks. Events of one stream keep their order. */
    public void publish(StreamEvent event) {
        if (closing || !queue.offer(event)) {
            metrics.publishRejected();
            failures.log(event.getStreamId(), "publish queue full or closed", null);
        }
    }

    private void run() {
        List<StreamEvent> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                for (StreamEvent event : batch) {
                    if (event == STOP) {
                        return;
                    }
                    send(event);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.complete(null);
        }
    }

    private void send(StreamEvent event) {
        String streamId = event.getStreamId();
        try {
            producer.send(
                    new ProducerRecord<>(topic, streamId, event),
                    (metadata, error) -> {
                        if (error != null) {
                            metrics.publishFailed();
                            failures.log(streamId, "send failed", error);
                        }
                    });
        } catch (RuntimeException e) {
            // Metadata timeouts, serialization errors, a closed producer: the event is lost.
            metrics.publishFailed();
            failures.log(streamId, "send failed", e);
        }
    }

    /**
     * Stops taking events, sends what is queued, flushes and closes the producer, all within {@code
     * timeout}. Blocks: call it off the event loop.
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        boolean drained = false;
        try {
            drained =
                    queue.offer(STOP, Math.max(1, remaining(deadline)), TimeUnit.NANOSECONDS)
                            && awaitStopped(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!drained) {
            thread.interrupt();
            LOG.warn(
                    "Publisher did not drain within {}; {} events not sent", timeout, queue.size());
        }
        // close() flushes what the producer holds, within what is left of the timeout.
        producer.close(Duration.ofNanos(Math.max(0, remaining(deadline))));
    }

    private boolean awaitStopped(long deadline) throws InterruptedException {
        try {
            stopped.get(Math.max(1, remaining(deadline)), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }
}
