package io.streammeter.simulator;

/** The upstream API shapes the simulator speaks. */
public enum Api {
    /** OpenAI Chat Completions, {@code POST /v1/chat/completions}. */
    CHAT_COMPLETIONS("/v1/chat/completions"),
    /** Anthropic Messages, {@code POST /v1/messages}. */
    MESSAGES("/v1/messages"),
    /** OpenAI Responses, {@code POST /v1/responses}. */
    RESPONSES("/v1/responses");

    private final String path;

    Api(String path) {
        this.path = path;
    }

    /** The request path, relative to {@link Simulator#baseUrl()}. */
    public String path() {
        return path;
    }
}
