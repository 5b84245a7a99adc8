package io.streammeter.relay.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.relay.sse.RecordedStreams.Event;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SseParserTest {
    private static final int LIMIT = 1 << 20;

    @Test
    void shouldFollowWhatwgFieldRules() {
        byte[] bytes = RecordedStreams.bytes("whatwg-fields.sse");
        List<Event> events = new ArrayList<>();
        SseParser parser = new SseParser(e -> events.add(Event.of(e)), LIMIT);

        parser.feed(bytes, 0, bytes.length);

        assertEquals(
                List.of(
                        new Event("greeting", "first line\nsecond line", "42", false),
                        new Event("message", "no space\n two spaces", "42", false),
                        new Event("message", "", "42", false),
                        new Event("bye", "mixed\nendings", "43", false),
                        new Event("message", "after empty id", "", false)),
                events,
                "events of whatwg-fields.sse");
        assertEquals(1500, parser.retryMillis(), "retry: a number sets it, 'soon' does not");
    }

    @ParameterizedTest
    @MethodSource("io.streammeter.relay.sse.RecordedStreams#names")
    void shouldYieldIdenticalEventsWhenCutAtEveryBytePosition(String name) {
        byte[] bytes = RecordedStreams.bytes(name);
        List<Event> whole = RecordedStreams.parse(bytes, LIMIT);
        assertFalse(whole.isEmpty(), name + " has events");

        for (int cut = 0; cut <= bytes.length; cut++) {
            List<Event> split = RecordedStreams.parse(bytes, LIMIT, cut);
            assertEquals(whole, split, name + " cut at byte " + cut);
        }
    }

    @ParameterizedTest
    @MethodSource("io.streammeter.relay.sse.RecordedStreams#names")
    void shouldYieldIdenticalEventsFedOneByteAtATimeAndInRandomPieces(String name) {
        byte[] bytes = RecordedStreams.bytes(name);
        List<Event> whole = RecordedStreams.parse(bytes, LIMIT);
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(whole, RecordedStreams.parse(bytes, LIMIT, everyByte), name + " byte by byte");

        Random random = new Random(name.hashCode());
        for (int round = 0; round < 200; round++) {
            int[] cuts = random.ints(5, 0, bytes.length + 1).sorted().toArray();
            assertEquals(
                    whole,
                    RecordedStreams.parse(bytes, LIMIT, cuts),
                    name + " cut at " + java.util.Arrays.toString(cuts));
        }
    }

    @Test
    void shouldSkipTheBomAndKeepEveryUtf8CharacterWhole() {
        List<Event> events = RecordedStreams.parse(RecordedStreams.bytes("bom-utf8.sse"), LIMIT);

        assertTrue(
                events.get(0).data().startsWith("{\"id\":\"chatcmpl-J\""),
                "the BOM is not part of the first field: " + events);
        assertTrue(
                events.get(0).data().contains("héllo € 😀 日本"),
                "multi-byte text intact: " + events);
    }

    @Test
    void shouldTreatABomAfterTheStartAsContent() {
        byte[] bytes = "data: a\n\n\uFEFFdata: b\n\ndata: c\n\n".getBytes(StandardCharsets.UTF_8);

        List<Event> events = RecordedStreams.parse(bytes, LIMIT);

        assertEquals(
                List.of("a", "c"),
                events.stream().map(Event::data).toList(),
                "a BOM mid-stream makes its line an unknown field: " + events);
    }

    @Test
    void shouldTreatAnIncompleteBomAsTheStartOfTheFirstLine() {
        byte[] bytes = {
            (byte) 0xEF, (byte) 0xBB, 'x', '\n', 'd', 'a', 't', 'a', ':', '1', '\n', '\n'
        };

        assertEquals(
                List.of(new Event("message", "1", "", false)),
                RecordedStreams.parse(bytes, LIMIT, 1));
    }

    @Test
    void shouldCutAnOversizedEventAndCarryOn() {
        String big = "x".repeat(5000);
        byte[] bytes =
                ("data: " + big + "\ndata: " + big + "\n\ndata: small\n\n")
                        .getBytes(StandardCharsets.UTF_8);

        for (int cut : new int[] {0, 100, 3000, 5008, bytes.length - 3}) {
            List<Event> events = RecordedStreams.parse(bytes, 1024, cut);
            assertEquals(2, events.size(), "cut at " + cut + ": " + events.size() + " events");
            assertTrue(events.get(0).truncated(), "the big event is marked truncated");
            assertTrue(events.get(0).data().length() < 1024, "and holds at most the limit");
            assertEquals(new Event("message", "small", "", false), events.get(1), "cut at " + cut);
        }
    }

    @Test
    void shouldReportTheEndOfEveryBlockAsAnOffsetInTheFedBuffer() {
        String text = ": c\n\ndata: x\r\n\r\ndata: y\r\r";
        List<Integer> ends = new ArrayList<>();
        SseParser parser =
                new SseParser(
                        new SseParser.Listener() {
                            @Override
                            public void onEvent(SseEvent event) {}

                            @Override
                            public void onBlockEnd(int offset) {
                                ends.add(offset);
                            }
                        },
                        LIMIT);

        parser.handle(Buffer.buffer(text));

        assertEquals(
                List.of(5, 16, 25),
                ends,
                "block ends in " + text.replace("\r", "\\r").replace("\n", "\\n"));
    }

    @Test
    void shouldExposeTheDataOfTheEventInProgress() {
        SseParser parser = new SseParser(e -> {}, LIMIT);

        parser.handle(Buffer.buffer("data: {\"a\":1}\ndata: {\"ch"));

        String pending =
                new String(
                        parser.pendingData(),
                        0,
                        parser.pendingDataLength(),
                        StandardCharsets.UTF_8);
        assertEquals("{\"a\":1}\n{\"ch", pending);
    }
}
