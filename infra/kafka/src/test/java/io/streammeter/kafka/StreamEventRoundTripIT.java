package io.streammeter.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.schemas.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class StreamEventRoundTripIT {

    @Test
    void shouldReadBackADecodedStreamEventThroughTheBroker(TestKafka kafka) throws Exception {
        var topic = kafka.newCatalog("round-trip").streamEvents();
        var event =
                StreamEvent.newBuilder()
                        .setEventId(EventIds.of("s-1", 0))
                        .setStreamId("s-1")
                        .setSequence(0)
                        .setEventTime(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                        .setRelayInstanceId("relay-test")
                        .setPayload(
                                StreamStarted.newBuilder()
                                        .setKeyId("k_test")
                                        .setApiShape(ApiShape.OPENAI_CHAT_COMPLETIONS)
                                        .setModelRequested("gpt-4o-mini")
                                        .setTags(Map.of("team", "search"))
                                        .setStreaming(true)
                                        .setClientRequestedUsage(true)
                                        .setUpstream("simulator")
                                        .build())
                        .build();

        Properties producerProps = kafka.clientProperties();
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer =
                new KafkaProducer<>(
                        producerProps,
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), "s-1", event)).get();
        }

        Properties consumerProps = kafka.clientProperties();
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip");
        List<ConsumerRecord<String, StreamEvent>> received = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        consumerProps,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertEquals(1, received.size(), "records received: " + received);
        assertEquals("s-1", received.get(0).key());
        assertEquals(event, received.get(0).value());
    }
}
