package io.streammeter.simulator;

/**
 * An Anthropic Messages stream: {@code message_start}, an optional thinking block, the text (or
 * tool_use) block with one {@code ping} after its start, {@code message_delta} with the final
 * cumulative {@code output_tokens}, then {@code message_stop}. With {@code pings=true} a ping
 * precedes every delta instead.
 */
final class AnthropicStream implements EventRenderer<AnthropicStream.Kind> {

    enum Kind {
        MESSAGE_START,
        THINKING_START,
        THINKING,
        SIGNATURE,
        THINKING_STOP,
        BLOCK_START,
        PING,
        CONTENT,
        BLOCK_STOP,
        MESSAGE_DELTA,
        MESSAGE_STOP,
        ERROR
    }

    static final String ERROR_JSON =
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";

    /** Thinking is block 0 when present, so the answer block follows it. */
    static final int THINKING_BLOCK = 0;

    /** The generated-text block of thinking, apart from the answer's block 0. */
    static final int THINKING_TEXT = 1000;

    private final SimRequest request;
    private final Script script;
    private final SseFraming sse;
    private final int answerBlock;

    AnthropicStream(SimRequest request, Script script) {
        this.request = request;
        this.script = script;
        this.sse = SseFraming.of(script);
        this.answerBlock = script.thinking() > 0 ? 1 : 0;
    }

    StreamPlan<Kind> plan() {
        // A delta step is the delta alone, or a ping and the delta with pings=true.
        int width = script.pings() ? 2 : 1;
        StreamPlan.Builder<Kind> plan = new StreamPlan.Builder<Kind>().add(Kind.MESSAGE_START, 1);
        boolean pinged = script.pings();
        if (script.thinking() > 0) {
            plan.add(Kind.THINKING_START, 1)
                    .add(Kind.PING, pinged ? 0 : 1)
                    .steps(Kind.THINKING, script.thinking(), width, false)
                    .add(Kind.SIGNATURE, 1)
                    .add(Kind.THINKING_STOP, 1);
            pinged = true;
        }
        return plan.add(Kind.BLOCK_START, 1)
                .add(Kind.PING, pinged ? 0 : 1)
                .steps(Kind.CONTENT, script.contentSteps(), width, true)
                .add(Kind.BLOCK_STOP, 1)
                .add(Kind.MESSAGE_DELTA, 1)
                .add(Kind.MESSAGE_STOP, 1)
                .build(script, Kind.ERROR);
    }

    @Override
    public SimUsage append(StringBuilder out, Kind kind, int offset) {
        if ((kind == Kind.THINKING || kind == Kind.CONTENT) && script.pings() && offset % 2 == 0) {
            return append(out, Kind.PING, 0);
        }
        int step = script.pings() ? offset / 2 : offset;
        SimUsage carried = null;
        switch (kind) {
            case MESSAGE_START -> carried = messageStart(open(out, "message_start"));
            case THINKING_START ->
                    blockStart(out, THINKING_BLOCK, "{\"type\":\"thinking\",\"thinking\":\"\"}");
            case THINKING -> {
                delta(out, THINKING_BLOCK, "{\"type\":\"thinking_delta\",\"thinking\":\"");
                GeneratedText.appendChunk(
                        out, script.text(), THINKING_TEXT, step, script.chunkChars());
                out.append("\"}}");
            }
            case SIGNATURE -> {
                delta(out, THINKING_BLOCK, "{\"type\":\"signature_delta\",\"signature\":\"");
                out.append(request.id("sig", 5, 64)).append("\"}}");
            }
            case THINKING_STOP -> blockStop(out, THINKING_BLOCK);
            case BLOCK_START -> blockStart(out, answerBlock, answerBlockStart());
            case PING -> open(out, "ping").append("{\"type\":\"ping\"}");
            case CONTENT -> content(out, step);
            case BLOCK_STOP -> blockStop(out, answerBlock);
            case MESSAGE_DELTA -> carried = messageDelta(open(out, "message_delta"));
            case MESSAGE_STOP -> open(out, "message_stop").append("{\"type\":\"message_stop\"}");
            case ERROR -> open(out, "error").append(ERROR_JSON);
        }
        sse.close(out);
        return carried;
    }

    private StringBuilder open(StringBuilder out, String event) {
        return sse.open(out, event);
    }

    private SimUsage messageStart(StringBuilder out) {
        SimUsage start =
                SimUsage.anthropic(
                        request.promptTokens(), 1, script.cacheRead(), script.cacheWrite());
        out.append("{\"type\":\"message_start\",\"message\":{\"id\":\"")
                .append(request.id("msg_", 0, 24))
                .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"")
                .append(request.modelJson())
                .append("\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,")
                .append("\"usage\":{\"input_tokens\":")
                .append(start.promptTokens())
                .append(",\"cache_creation_input_tokens\":")
                .append(start.cacheCreationTokens())
                .append(",\"cache_read_input_tokens\":")
                .append(start.cachedTokens())
                .append(",\"output_tokens\":1}}}");
        return start;
    }

    private SimUsage messageDelta(StringBuilder out) {
        SimUsage total = ExpectedUsage.of(request, script);
        out.append("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"")
                .append(script.tools() > 0 ? "tool_use" : "end_turn")
                .append("\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":")
                .append(total.completionTokens())
                .append("}}");
        return total;
    }

    private String answerBlockStart() {
        if (script.tools() > 0) {
            return "{\"type\":\"tool_use\",\"id\":\""
                    + request.id("toolu_", 3, 24)
                    + "\",\"name\":\""
                    + request.toolNameJson()
                    + "\",\"input\":{}}";
        }
        return "{\"type\":\"text\",\"text\":\"\"}";
    }

    private void content(StringBuilder out, int step) {
        if (script.tools() > 0) {
            delta(out, answerBlock, "{\"type\":\"input_json_delta\",\"partial_json\":\"");
            ToolArguments.appendEscapedFragment(out, script, 0, step);
        } else {
            delta(out, answerBlock, "{\"type\":\"text_delta\",\"text\":\"");
            GeneratedText.appendChunk(out, script.text(), 0, step, script.chunkChars());
        }
        out.append("\"}}");
    }

    private void blockStart(StringBuilder out, int index, String block) {
        open(out, "content_block_start")
                .append("{\"type\":\"content_block_start\",\"index\":")
                .append(index)
                .append(",\"content_block\":")
                .append(block)
                .append('}');
    }

    private void delta(StringBuilder out, int index, String deltaStart) {
        open(out, "content_block_delta")
                .append("{\"type\":\"content_block_delta\",\"index\":")
                .append(index)
                .append(",\"delta\":")
                .append(deltaStart);
    }

    private void blockStop(StringBuilder out, int index) {
        open(out, "content_block_stop")
                .append("{\"type\":\"content_block_stop\",\"index\":")
                .append(index)
                .append('}');
    }
}
