package io.streammeter.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.avro.Usage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final AvroSerde<StreamEvent> serde = AvroSerde.of(StreamEvent.class);

    static StreamEvent event(long sequence, Object payload) {
        return StreamEvent.newBuilder()
                .setEventId(EventIds.of("s1", sequence))
                .setStreamId("s1")
                .setSequence(sequence)
                .setEventTime(T0.plusMillis(sequence))
                .setRelayInstanceId("relay-1")
                .setPayload(payload)
                .build();
    }

    @Test
    void shouldRoundTripEveryPayload() {
        var started =
                StreamStarted.newBuilder()
                        .setKeyId("k_abc")
                        .setApiShape(ApiShape.OPENAI_CHAT_COMPLETIONS)
                        .setModelRequested("gpt-4o")
                        .setTags(Map.of("team", "search"))
                        .setStreaming(true)
                        .setClientRequestedUsage(false)
                        .setUpstream("openai")
                        .build();
        var chunk =
                StreamChunk.newBuilder()
                        .setChunkIndex(0)
                        .setByteLength(120)
                        .setContentChars(5)
                        .setToolArgumentChars(0)
                        .setCarriesUsage(false)
                        .build();
        var ended =
                StreamEnded.newBuilder()
                        .setOutcome(Outcome.COMPLETED)
                        .setUsage(new Usage(10L, 20L, 30L, 4L, null, null, false))
                        .setChunkCount(1)
                        .setContentChars(5)
                        .setDurationMillis(42)
                        .build();

        var chunks =
                new io.streammeter.avro.StreamChunks(
                        List.of(
                                new io.streammeter.avro.ChunkFact(
                                        1L, java.time.Instant.EPOCH, chunk),
                                new io.streammeter.avro.ChunkFact(
                                        2L, java.time.Instant.ofEpochMilli(5), chunk)));

        for (Object payload : new Object[] {started, chunk, ended, chunks}) {
            StreamEvent original = event(1, payload);
            byte[] bytes = serde.serializer().serialize("t", original);
            assertEquals(original, serde.deserializer().deserialize("t", bytes));
        }
    }

    @Test
    void shouldWriteSingleObjectEncodingWithTheSchemaFingerprint() {
        byte[] bytes = serde.serialize("t", event(0, ended()));
        long fingerprint =
                org.apache.avro.SchemaNormalization.parsingFingerprint64(
                        StreamEvent.getClassSchema());

        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, new byte[] {bytes[0], bytes[1]});
        assertEquals(String.format("0x%016x", fingerprint), AvroSerde.fingerprint(bytes));
    }

    @Test
    void shouldNameTheFingerprintAndTopicOfAnUnknownSchema() throws Exception {
        Schema foreign =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Foreign\",\"fields\":"
                                        + "[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericRecord record = new GenericData.Record(foreign);
        record.put("x", 1);
        ByteBuffer buffer =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), foreign).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        var error =
                assertThrows(
                        SerializationException.class,
                        () -> serde.deserialize("streammeter.stream-events", bytes));

        assertTrue(
                error.getMessage().contains(AvroSerde.fingerprint(bytes))
                        && error.getMessage().contains("streammeter.stream-events"),
                error.getMessage());
    }

    @Test
    void shouldRejectBytesThatAreNotSingleObjectEncoded() {
        var error =
                assertThrows(
                        SerializationException.class,
                        () -> serde.deserialize("topic-x", "{\"json\":true}".getBytes()));
        assertTrue(error.getMessage().contains("topic-x"), error.getMessage());
    }

    @Test
    void shouldDecodeDataWrittenWithAReleasedVersion() throws Exception {
        Schema v1 = SchemaHistory.versions("StreamEvent").get(0);
        byte[] current = serde.serialize("t", event(3, ended()));
        var v1Reader =
                new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(
                        GenericData.get(), v1);
        v1Reader.addSchema(StreamEvent.getClassSchema());
        GenericRecord asV1 = v1Reader.decode(current);
        ByteBuffer buffer =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(asV1);
        byte[] written = new byte[buffer.remaining()];
        buffer.get(written);

        assertEquals(event(3, ended()), serde.deserialize("t", written));
    }

    @Test
    void shouldReadUsageWrittenBeforeV3AsFinalAndLetV2ReadersSkipPartial() throws Exception {
        Schema v2 = SchemaHistory.versions("StreamEvent").get(1);
        StreamEvent partial =
                event(
                        3,
                        StreamEnded.newBuilder(ended())
                                .setUsage(new Usage(12L, 1L, 13L, 0L, null, 0L, true))
                                .build());
        var v2Reader =
                new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(
                        GenericData.get(), v2);
        v2Reader.addSchema(StreamEvent.getClassSchema());

        GenericRecord asV2 = v2Reader.decode(serde.serialize("t", partial));
        ByteBuffer buffer =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(asV2);
        byte[] written = new byte[buffer.remaining()];
        buffer.get(written);
        StreamEvent read = serde.deserialize("t", written);

        Usage usage = ((StreamEnded) read.getPayload()).getUsage();
        assertEquals(12L, usage.getPromptTokens(), "a v2 reader keeps the counts: " + asV2);
        assertEquals(false, usage.getPartial(), "v2 data has no partial: the default, final");
    }

    @Test
    void shouldPassNullsThrough() {
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    private static StreamEnded ended() {
        return StreamEnded.newBuilder()
                .setOutcome(Outcome.CLIENT_DISCONNECTED)
                .setChunkCount(0)
                .setContentChars(0)
                .setDurationMillis(5)
                .build();
    }
}
