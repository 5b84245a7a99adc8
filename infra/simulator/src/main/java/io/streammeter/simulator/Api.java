package io.streammeter.simulator;

/** The upstream API shapes the simulator speaks. */
public enum Api {
    /** OpenAI Chat Completions, {@code POST /v1/chat/completions}. */
    CHAT_COMPLETIONS("/v1/chat/completions"),
    /** Anthropic Messages, {@code POST /v1/messages}. */
    MESSAGES("/v1/messages"),
    /** OpenAI Responses, {@code POST /v1/responses}. */
    RESPONSES("/v1/responses"),
    /** OpenAI legacy completions, {@code POST /v1/completions}. */
    COMPLETIONS("/v1/completions"),
    /** OpenAI embeddings, {@code POST /v1/embeddings}: never streamed. */
    EMBEDDINGS("/v1/embeddings");

    private final String path;

    Api(String path) {
        this.path = path;
    }

    /** The request path, relative to {@link Simulator#baseUrl()}. */
    public String path() {
        return path;
    }
}
