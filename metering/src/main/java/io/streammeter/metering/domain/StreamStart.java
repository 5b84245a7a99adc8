package io.streammeter.metering.domain;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.StreamStarted;
import java.util.Map;

/** What a stream's {@code StreamStarted} told, as kept in the fold. */
public record StreamStart(
        String keyId,
        ApiShape apiShape,
        String modelRequested,
        String user,
        Map<String, String> tags,
        boolean streaming,
        long promptChars,
        String upstream,
        long startedAt) {

    public StreamStart {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static StreamStart of(StreamStarted started, long eventTime) {
        return new StreamStart(
                started.getKeyId(),
                started.getApiShape(),
                started.getModelRequested(),
                started.getUser(),
                started.getTags(),
                started.getStreaming(),
                started.getPromptChars(),
                started.getUpstream(),
                eventTime);
    }
}
