package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptTest {

    @Test
    void shouldDefaultToEightAsciiChunksOfEightCharacters() {
        Script s = Script.parse(null);

        assertEquals(Script.DEFAULT, s);
        assertEquals(Script.DEFAULT, Script.parse("  "));
        assertEquals(8, s.chunks());
        assertEquals(8, s.chunkChars());
        assertSame(Script.Text.ASCII, s.text());
        assertSame(Script.UsageMode.AUTO, s.usage());
        assertEquals(-1, s.errorAfter());
        assertEquals(-1, s.truncateAfter());
        assertEquals(-1, s.stallAfter());
        assertEquals(0, s.status());
    }

    @Test
    void shouldParseEveryKey() {
        Script s =
                Script.parse(
                        "chunks=32; chunk-chars=4;text=utf8;first-delay-ms=5;delay-ms=20;usage=finish;"
                                + "tools=3;cached=7;reasoning=9;status=503;error-after=2;crlf=true;"
                                + "comments=true;gzip=true;thinking=4;pings=true;cache-read=11;"
                                + "cache-write=12;");

        assertEquals(
                new Script(
                        32,
                        4,
                        Script.Text.UTF8,
                        5,
                        20,
                        Script.UsageMode.FINISH,
                        3,
                        7,
                        9,
                        503,
                        2,
                        -1,
                        -1,
                        true,
                        true,
                        true,
                        4,
                        true,
                        11,
                        12,
                        Script.End.COMPLETED),
                s);
        assertEquals(3, s.contentSteps(), "tools replace the content chunks");
        assertEquals(2, Script.parse("truncate-after=2").truncateAfter());
        assertEquals(3, Script.parse("stall-after=3").stallAfter());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "chunkz=3|unknown script key 'chunkz'",
                "chunks|script entry 'chunks' is not key=value",
                "chunks=x|script key 'chunks' needs a whole number, got 'x'",
                "chunks=-1|script key 'chunks' must be between 0 and",
                "chunk-chars=0|script key 'chunk-chars' must be between 1 and",
                "delay-ms=-5|script key 'delay-ms' must be between 0 and 3600000 ms",
                "usage=sometimes|script key 'usage' must be one of auto|separate|finish|every|never",
                "text=latin1|script key 'text' must be one of ascii|utf8",
                "crlf=yes|script key 'crlf' must be true or false, got 'yes'",
                "status=200|script key 'status' must be an HTTP error status 400-599",
                "chunks=2;chunks=3|script key 'chunks' is given twice",
                "error-after=1;stall-after=2|only one of error-after, truncate-after, stall-after",
                "chunks=2;truncate-after=3|must not exceed the content steps (2, from chunks)",
                "chunks=100000;chunk-chars=1000|must not exceed 16777216 characters"
            })
    void shouldRejectAMistakeWithAMessageNamingIt(String script, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Script.parse(script));

        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void shouldRejectAKeyOfTheOtherApi() {
        Script thinking = Script.parse("thinking=2");

        thinking.checkAppliesTo(Api.MESSAGES);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> thinking.checkAppliesTo(Api.CHAT_COMPLETIONS));
        assertEquals(
                "script key 'thinking' does not apply to /v1/chat/completions", e.getMessage());
    }
}
