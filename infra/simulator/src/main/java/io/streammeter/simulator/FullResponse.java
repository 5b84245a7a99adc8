package io.streammeter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Non-streaming answers: an OpenAI {@code chat.completion}, an OpenAI {@code response} or an
 * Anthropic {@code message}, with the same ids, text and usage as the stream of the same request
 * would carry.
 */
final class FullResponse {

    private FullResponse() {}

    static String chatCompletion(SimRequest request, Script script) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode();
        root.put("id", request.id("chatcmpl-", 0, 29))
                .put("object", "chat.completion")
                .put("created", request.created())
                .put("model", request.model());
        ArrayNode choices = root.putArray("choices");
        for (int choice = 0; choice < request.n(); choice++) {
            ObjectNode c = choices.addObject().put("index", choice);
            ObjectNode message = c.putObject("message").put("role", "assistant");
            if (script.tools() > 0) {
                message.putNull("content");
                ObjectNode call = message.putArray("tool_calls").addObject();
                call.put("id", request.id("call_", 2, 20) + choice).put("type", "function");
                call.putObject("function")
                        .put("name", request.toolName())
                        .put("arguments", arguments(script, choice));
            } else {
                message.put("content", text(script, choice));
            }
            message.putNull("refusal");
            c.putNull("logprobs").put("finish_reason", script.tools() > 0 ? "tool_calls" : "stop");
        }
        if (script.usage() != Script.UsageMode.NEVER) {
            SimUsage u = ExpectedUsage.of(request, script);
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", u.promptTokens())
                    .put("completion_tokens", u.completionTokens())
                    .put("total_tokens", u.totalTokens());
            usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
            usage.putObject("completion_tokens_details")
                    .put("reasoning_tokens", u.reasoningTokens());
        }
        root.put("system_fingerprint", request.id("fp_", 1, 10));
        return write(root);
    }

    /** A legacy {@code text_completion}, with the chat completion's text and usage. */
    static String completion(SimRequest request, Script script) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode();
        root.put("id", request.id("cmpl-", 0, 29))
                .put("object", "text_completion")
                .put("created", request.created())
                .put("model", request.model());
        root.putArray("choices")
                .addObject()
                .put("text", text(script, 0))
                .put("index", 0)
                .putNull("logprobs")
                .put("finish_reason", "stop");
        if (script.usage() != Script.UsageMode.NEVER) {
            SimUsage u = ExpectedUsage.of(request, script);
            root.putObject("usage")
                    .put("prompt_tokens", u.promptTokens())
                    .put("completion_tokens", u.completionTokens())
                    .put("total_tokens", u.totalTokens());
        }
        return write(root);
    }

    /** An embeddings list: one short vector, usage with prompt and total tokens only. */
    static String embeddings(SimRequest request, Script script) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode().put("object", "list");
        ObjectNode item =
                root.putArray("data").addObject().put("object", "embedding").put("index", 0);
        ArrayNode vector = item.putArray("embedding");
        for (int i = 0; i < 8; i++) {
            vector.add(((request.seed() >>> i) & 0xff) / 255.0 - 0.5);
        }
        root.put("model", request.model());
        if (script.usage() != Script.UsageMode.NEVER) {
            SimUsage u = ExpectedUsage.of(request, script);
            root.putObject("usage")
                    .put("prompt_tokens", u.promptTokens())
                    .put("total_tokens", u.totalTokens());
        }
        return write(root);
    }

    /**
     * A Responses API {@code response} object in its final state (the script's {@code end}), as a
     * non-streamed answer and the stream's terminal event carry it.
     */
    static String response(SimRequest request, Script script) {
        ObjectNode root = responseHead(request);
        String status =
                switch (script.end()) {
                    case COMPLETED -> "completed";
                    case INCOMPLETE -> "incomplete";
                    case FAILED -> "failed";
                };
        root.put("status", status);
        if (script.end() == Script.End.FAILED) {
            root.putObject("error")
                    .put("code", "server_error")
                    .put("message", "The model failed to generate a response.");
        } else {
            root.putNull("error");
        }
        if (script.end() == Script.End.INCOMPLETE) {
            root.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            root.putNull("incomplete_details");
        }
        ArrayNode output = root.putArray("output");
        ObjectNode item = output.addObject();
        if (script.tools() > 0) {
            item.put("id", "fc_" + request.id("", 3, 24))
                    .put("type", "function_call")
                    .put("status", "completed")
                    .put("arguments", arguments(script, 0))
                    .put("call_id", request.id("call_", 2, 20))
                    .put("name", request.toolName());
        } else {
            item.put("id", "msg_" + request.id("", 3, 24))
                    .put("type", "message")
                    .put("status", "completed")
                    .put("role", "assistant");
            item.putArray("content")
                    .addObject()
                    .put("type", "output_text")
                    .put("text", text(script, 0))
                    .putArray("annotations");
        }
        SimUsage u = responseUsage(request, script);
        if (u == null) {
            root.putNull("usage");
        } else {
            ObjectNode usage = root.putObject("usage");
            usage.put("input_tokens", u.promptTokens());
            usage.putObject("input_tokens_details").put("cached_tokens", u.cachedTokens());
            usage.put("output_tokens", u.completionTokens());
            usage.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
            usage.put("total_tokens", u.totalTokens());
        }
        return write(root);
    }

    /** The usage a final response carries, or null when the script says usage=never. */
    static SimUsage responseUsage(SimRequest request, Script script) {
        return script.usage() == Script.UsageMode.NEVER ? null : ExpectedUsage.of(request, script);
    }

    /** The response of {@code response.created}: in progress, no output, no usage yet. */
    static String responseInProgress(SimRequest request) {
        ObjectNode root = responseHead(request).put("status", "in_progress");
        root.putArray("output");
        root.putNull("usage");
        return write(root);
    }

    private static ObjectNode responseHead(SimRequest request) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode();
        root.put("id", request.id("resp_", 0, 32))
                .put("object", "response")
                .put("created_at", request.created())
                .put("model", request.model());
        return root;
    }

    static String message(SimRequest request, Script script) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode();
        root.put("id", request.id("msg_", 0, 24))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", request.model());
        ArrayNode content = root.putArray("content");
        if (script.thinking() > 0) {
            content.addObject()
                    .put("type", "thinking")
                    .put(
                            "thinking",
                            block(script, AnthropicStream.THINKING_TEXT, script.thinking()))
                    .put("signature", request.id("sig", 5, 64));
        }
        if (script.tools() > 0) {
            ObjectNode tool =
                    content.addObject()
                            .put("type", "tool_use")
                            .put("id", request.id("toolu_", 3, 24))
                            .put("name", request.toolName());
            tool.putObject("input").put("arg", ToolArguments.argValue(script, 0));
        } else {
            content.addObject().put("type", "text").put("text", text(script, 0));
        }
        root.put("stop_reason", script.tools() > 0 ? "tool_use" : "end_turn")
                .putNull("stop_sequence");
        SimUsage u = ExpectedUsage.of(request, script);
        root.putObject("usage")
                .put("input_tokens", u.promptTokens())
                .put("cache_creation_input_tokens", u.cacheCreationTokens())
                .put("cache_read_input_tokens", u.cachedTokens())
                .put("output_tokens", u.completionTokens());
        return write(root);
    }

    private static String text(Script script, int choice) {
        return block(script, choice, script.chunks());
    }

    private static String block(Script script, int block, int steps) {
        return GeneratedText.block(script.text(), block, steps, script.chunkChars());
    }

    private static String arguments(Script script, int choice) {
        return ToolArguments.PREFIX + ToolArguments.argValue(script, choice) + ToolArguments.SUFFIX;
    }

    private static String write(ObjectNode root) {
        try {
            return SimRequest.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
