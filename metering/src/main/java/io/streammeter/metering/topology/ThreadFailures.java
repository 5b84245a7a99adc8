package io.streammeter.metering.topology;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What a stream thread's failure means. A broker that is away longer than the clients wait (a
 * timeout, a retriable error) aborts the thread's transaction and nothing else: under exactly-once
 * a new thread resumes from the last commit, so the process keeps running and catches up when the
 * broker is back. Anything else (a bug, a corrupt store) stops the process rather than loop.
 */
public final class ThreadFailures {
    private ThreadFailures() {}

    public static StreamThreadExceptionResponse response(Throwable e) {
        return retriable(e)
                ? StreamThreadExceptionResponse.REPLACE_THREAD
                : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Whether {@code e}, or what caused it, says "try again later". */
    public static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
