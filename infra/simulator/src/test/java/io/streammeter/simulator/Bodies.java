package io.streammeter.simulator;

/** Request bodies in the words of the tests. */
final class Bodies {

    private Bodies() {}

    /** An OpenAI chat request with one user message; {@code extra} is spliced in as fields. */
    static String chat(boolean stream, String extra) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":"
                + stream
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello to the simulator, please.\"}]"
                + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    /** An OpenAI streaming request that asks for usage. */
    static String chatWithUsage() {
        return chat(true, "\"stream_options\":{\"include_usage\":true}");
    }

    /** An Anthropic Messages request with a system prompt and one user message. */
    static String messages(boolean stream) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":"
                + stream
                + ",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Say hello to the simulator, please.\"}]}]}";
    }
}
