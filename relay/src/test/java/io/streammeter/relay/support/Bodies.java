package io.streammeter.relay.support;

/** Request bodies and what clients see of responses, in the tests' own words. */
public final class Bodies {
    private Bodies() {}

    /**
     * A streamed chat request; {@code extra} is spliced in as more fields, such as {@code "n":2}.
     */
    public static String streamed(String extra) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Say hello to the relay.\"}]"
                + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    public static String streamed() {
        return streamed("");
    }

    /** A streamed request whose client asks for usage itself. */
    public static String streamedWithUsage() {
        return streamed("\"stream_options\":{\"include_usage\":true}");
    }

    /** A Responses API request, with a function tool so a tools script has a name to call. */
    public static String responses(boolean stream) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":"
                + stream
                + ",\"input\":\"Say hi.\",\"tools\":[{\"type\":\"function\","
                + "\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}";
    }

    public static String notStreamed() {
        return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}]}";
    }

    /** A streamed Anthropic messages request; {@code extra} is spliced in as more fields. */
    public static String messagesStreamed(String extra) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the relay.\"}]"
                + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    public static String messagesStreamed() {
        return messagesStreamed("");
    }

    public static String messagesNotStreamed() {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}]}";
    }

    /** An SSE body without its usage-only chunk: what a client that did not ask for usage sees. */
    public static String withoutUsageChunk(String sse) {
        int usage = sse.indexOf("\"choices\":[],\"usage\":{");
        if (usage < 0) {
            return sse;
        }
        int start = sse.lastIndexOf("data: ", usage);
        String blank = sse.contains("\r\n") ? "\r\n\r\n" : "\n\n";
        int end = sse.indexOf(blank, usage) + blank.length();
        return sse.substring(0, start) + sse.substring(end);
    }
}
