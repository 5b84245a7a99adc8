package io.streammeter.relay.publish;

import io.micrometer.core.instrument.Counter;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEvent;
import io.streammeter.relay.config.SpoolConfig;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.spool.Spool;
import io.streammeter.schemas.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes stream events to Kafka through a durable spool, without ever blocking the caller. An
 * event is queued in memory ({@link #publish}: no lock, no system call), appended to the spool by a
 * writer thread, and sent from the spool by a sender thread; it leaves the spool only once Kafka
 * acknowledged it. When Kafka is slow or gone, events wait on disk and are resent, oldest first,
 * when it answers again; a relay started on a spool that holds events replays them.
 *
 * <p>Starts and ends are always accepted. Chunk events are shed (counted, and the stream's end says
 * how many) when the spool is at {@code spool.max-bytes} under {@code shed-chunks}, or when the
 * in-memory queue is at {@code publish.queue-capacity}; under {@code reject} the relay refuses new
 * requests instead ({@link #admitsNewStreams}).
 */
public final class EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final SpoolConfig config;
    private final int queueCapacity;
    private final Spool spool;
    private final long reserve;
    private final Producer<byte[], byte[]> producer;
    private final SpoolWriter writer;
    private final SpoolSender sender;
    private final RelayMetrics metrics;
    private final Counter shedSpoolFull;
    private final Counter shedQueueFull;
    private final Counter replayed;
    private final Counter refused;
    private volatile boolean closing;

    /**
     * Opens the spool (replaying what it holds), creates the producer and starts both threads.
     * Resolves addresses and touches the disk: call it off the event loop.
     *
     * @throws UncheckedIOException when the spool directory cannot be used
     */
    public EventPublisher(
            Map<String, Object> producerConfig,
            Topic<String, StreamEvent> topic,
            int queueCapacity,
            SpoolConfig config,
            RelayMetrics metrics) {
        this.config = config;
        this.queueCapacity = queueCapacity;
        this.metrics = metrics;
        try {
            // Beyond max-bytes, room for the starts and ends that are never shed and for the
            // chunks of streams in flight under the reject policy.
            this.reserve = Math.max(config.maxBytes() / 8, 64 * 1024);
            this.spool =
                    Spool.open(config.dir(), config.maxBytes() + reserve, config.segmentBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open spool " + config.dir(), e);
        }
        this.shedSpoolFull = shedCounter(metrics, "spool_full");
        this.shedQueueFull = shedCounter(metrics, "queue_full");
        this.replayed =
                metrics.counter(
                        "relay.spool.replayed",
                        "Events sent to Kafka again: after a failed or unknown send, or left in"
                                + " the spool by a previous run");
        this.refused =
                metrics.counter(
                        "relay.requests.refused",
                        "Requests answered 503 because the spool is full (policy reject)",
                        "reason",
                        "spool_full");
        try {
            this.producer =
                    new KafkaProducer<>(
                            producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
        this.sender = new SpoolSender(spool, producer, topic.name(), replayed);
        this.writer =
                new SpoolWriter(
                        spool, config, topic.name(), topic.valueSerde().serializer(), sender::wake);
        registerGauges(metrics);
    }

    private static Counter shedCounter(RelayMetrics metrics, String reason) {
        return metrics.counter(
                "relay.spool.shed",
                "Chunk events not published because the spool or the queue was full",
                "reason",
                reason);
    }

    private void registerGauges(RelayMetrics metrics) {
        metrics.gauge(
                "relay.publish.queue",
                "Events accepted and waiting in memory for the spool writer",
                writer::queued);
        metrics.gauge(
                "relay.publish.in.flight",
                "Events handed to the Kafka client and not acknowledged",
                sender::inFlight);
        metrics.gauge(
                "relay.spool.depth",
                "Events not acknowledged by Kafka: in memory, in the spool, in the Kafka client",
                () -> spool.depth() + writer.queued());
        metrics.gauge("relay.spool.bytes", "Bytes of spool segment files", spool::bytes);
        metrics.gauge(
                "relay.spool.oldest.age.seconds",
                "Age of the oldest event Kafka has not acknowledged",
                () -> oldestAgeMillis() / 1000.0);
        metrics.gauge(
                "relay.spool.corrupt",
                "Spool records skipped because their checksum failed",
                spool::corrupt);
        metrics.gauge(
                "relay.spool.spooling",
                "1 while Kafka is not acknowledging events",
                () -> sender.spooling() ? 1 : 0);
        metrics.gauge(
                "relay.spool.full",
                "1 while the spool is at spool.max-bytes",
                () -> writer.full() ? 1 : 0);
    }

    /**
     * Accepts an event for Kafka; never blocks. Events of one stream keep their order.
     *
     * @return false when a chunk event was shed (the spool or the queue is full); starts and ends
     *     are always accepted
     */
    public boolean publish(StreamEvent event) {
        if (closing) {
            metrics.publishRejected();
            LOG.warn("Event of stream {} published after close: lost", event.getStreamId());
            return false;
        }
        if (event.getPayload() instanceof StreamChunk) {
            if (writer.queued() >= queueCapacity) {
                shedQueueFull.increment();
                return false;
            }
            if (writer.full() && config.fullPolicy() == SpoolConfig.FullPolicy.SHED_CHUNKS) {
                shedSpoolFull.increment();
                return false;
            }
        }
        writer.offer(event);
        return true;
    }

    /**
     * Whether a new request may be served: false under {@code spool.full-policy=reject} while the
     * spool is full, and under any policy once half the reserve beyond {@code spool.max-bytes} is
     * taken — the reserve holds the starts and ends that are never shed, and a stream the relay
     * could not bill must not be served: the rest is kept for the streams in flight to end (each
     * refusal is counted).
     */
    public boolean admitsNewStreams() {
        boolean reserveHalfTaken = spool.bytes() >= config.maxBytes() + reserve / 2;
        if (reserveHalfTaken
                || (config.fullPolicy() == SpoolConfig.FullPolicy.REJECT && writer.full())) {
            refused.increment();
            return false;
        }
        return true;
    }

    public SpoolConfig.FullPolicy fullPolicy() {
        return config.fullPolicy();
    }

    /** The spool now. */
    public SpoolStatus status() {
        return new SpoolStatus(
                spool.depth() + writer.queued(),
                spool.bytes(),
                oldestAgeMillis(),
                sender.spooling(),
                writer.full(),
                (long) (shedSpoolFull.count() + shedQueueFull.count()),
                (long) replayed.count());
    }

    private long oldestAgeMillis() {
        long oldest = sender.oldestMillis();
        return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }

    /**
     * Spools what is queued, sends what Kafka will take, flushes and closes the producer, all
     * within {@code timeout}; what Kafka has not acknowledged by then stays in the spool for the
     * next start. Blocks: call it off the event loop.
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        try {
            if (!writer.stop(remainingMillis(deadline))) {
                LOG.warn("Spool writer did not finish within {}", timeout);
            }
            sender.stop(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Kafka not acknowledging: what the client holds is in the spool, flushing gains nothing.
        producer.close(
                sender.spooling() ? Duration.ZERO : Duration.ofMillis(remainingMillis(deadline)));
        try {
            sender.acknowledgeFinal();
        } catch (IOException e) {
            LOG.warn("Cannot record the acknowledged position: those events will be resent", e);
        }
        long left = spool.depth();
        spool.close();
        if (left > 0) {
            LOG.warn(
                    "{} events not acknowledged by Kafka stay in spool {} for the next start",
                    left,
                    config.dir());
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }
}
