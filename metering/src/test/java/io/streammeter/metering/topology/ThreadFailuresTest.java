package io.streammeter.metering.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void shouldReplaceAThreadThatTimedOutWaitingForTheBroker() {
        var e = new StreamsException("aborted", new TimeoutException("metadata not available"));

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, ThreadFailures.response(e));
    }

    @Test
    void shouldStopTheProcessOnAnythingElse() {
        var e = new StreamsException("bug", new IllegalStateException("corrupt"));

        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, ThreadFailures.response(e));
    }
}
