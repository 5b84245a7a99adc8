package io.streammeter.metering.export;

import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.Usage;
import io.streammeter.schemas.ChunkGroups;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Everything metering knows about one stream, read from Kafka itself: its line item (the latest
 * revision on {@code stream-summaries}) and the events the relay published for it. Only the one
 * partition that holds the stream id is read (Kafka's default partitioning of the key), and the
 * events from a minute before the stream started.
 */
public final class StreamExplainer {
    /** Events of one stream are few; a runaway stream is cut here. */
    static final int MAX_EVENTS = 10_000;

    private static final Duration BEFORE_START = Duration.ofMinutes(1);

    private final TopicCatalog catalog;
    private final Properties clientProps;
    private final Duration timeout;

    public StreamExplainer(TopicCatalog catalog, Properties clientProps, Duration timeout) {
        this.catalog = catalog;
        this.clientProps = clientProps;
        this.timeout = timeout;
    }

    /** What is known of {@code streamId}: the line item (null when none yet) and its events. */
    public record Explanation(
            String streamId, Map<String, Object> lineItem, List<Map<String, Object>> events) {}

    public Explanation explain(String streamId) {
        List<StreamSummary> revisions = read(catalog.streamSummaries(), streamId, null);
        StreamSummary item = revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
        Instant from =
                item == null || item.getStartedAt() == null
                        ? null
                        : item.getStartedAt().minus(BEFORE_START);
        List<Map<String, Object>> events = rows(read(catalog.streamEvents(), streamId, from));
        return new Explanation(streamId, item == null ? null : ExportRows.summary(item), events);
    }

    /**
     * One row per event, a {@code StreamChunks} record giving one per chunk (its own sequence and
     * time), at most {@link #MAX_EVENTS}: a group counts as its chunks, not as one record.
     */
    static List<Map<String, Object>> rows(List<StreamEvent> records) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (StreamEvent record : records) {
            for (StreamEvent one : ChunkGroups.expand(record)) {
                if (events.size() >= MAX_EVENTS) {
                    return events;
                }
                events.add(event(one));
            }
        }
        return events;
    }

    /**
     * The values of {@code key} in its partition, oldest first, from {@code from} (or the start).
     */
    private <V> List<V> read(Topic<String, V> topic, String key, Instant from) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer =
                new KafkaConsumer<>(
                        props,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            var infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + topic.name() + " does not exist");
            }
            TopicPartition partition =
                    new TopicPartition(topic.name(), partitionOf(key, infos.size()));
            consumer.assign(List.of(partition));
            seek(consumer, partition, from);
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            List<V> values = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (consumer.position(partition, timeout) < end && values.size() < MAX_EVENTS) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty() && Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "Reading " + topic.name() + " made no progress within " + timeout);
                }
                for (ConsumerRecord<String, V> record : records) {
                    if (key.equals(record.key()) && record.value() != null) {
                        values.add(record.value());
                    }
                }
            }
            return values;
        }
    }

    private void seek(KafkaConsumer<?, ?> consumer, TopicPartition partition, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(List.of(partition));
            return;
        }
        OffsetAndTimestamp at =
                consumer.offsetsForTimes(Map.of(partition, from.toEpochMilli()), timeout)
                        .get(partition);
        if (at == null) {
            consumer.seekToEnd(List.of(partition));
        } else {
            consumer.seek(partition, at.offset());
        }
    }

    /** The partition Kafka's default partitioner gives a record keyed {@code key}. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static Map<String, Object> event(StreamEvent e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sequence", e.getSequence());
        row.put("event_time", e.getEventTime().toString());
        row.put("relay", e.getRelayInstanceId());
        Object payload = e.getPayload();
        if (payload instanceof StreamStarted s) {
            row.put("type", "started");
            row.put("key_id", s.getKeyId());
            row.put("api_shape", s.getApiShape().name());
            row.put("model_requested", s.getModelRequested());
            row.put("upstream", s.getUpstream());
            row.put("streaming", s.getStreaming());
        } else if (payload instanceof StreamChunk c) {
            row.put("type", "chunk");
            row.put("chunk_index", c.getChunkIndex());
            row.put("byte_length", c.getByteLength());
            row.put("content_chars", c.getContentChars());
            row.put("finish_reason", c.getFinishReason());
            row.put("carries_usage", c.getCarriesUsage());
        } else if (payload instanceof StreamEnded d) {
            row.put("type", "ended");
            row.put("outcome", d.getOutcome().name());
            Usage usage = d.getUsage();
            row.put("prompt_tokens", usage == null ? null : usage.getPromptTokens());
            row.put("completion_tokens", usage == null ? null : usage.getCompletionTokens());
            row.put("upstream_status", d.getUpstreamStatus());
            row.put("error_text", d.getErrorText());
            row.put("chunk_count", d.getChunkCount());
            row.put("chunks_shed", d.getChunksShed());
            row.put("duration_ms", d.getDurationMillis());
        } else {
            row.put("type", "unknown");
        }
        return row;
    }
}
