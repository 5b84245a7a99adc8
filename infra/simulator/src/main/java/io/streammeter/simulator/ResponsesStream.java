package io.streammeter.simulator;

/**
 * An OpenAI Responses API stream: typed events, each with its {@code event:} line and a {@code
 * sequence_number}; {@code response.created}, the output item, the content steps ({@code
 * response.output_text.delta}, or {@code response.function_call_arguments.delta} when the script
 * has tools), and the terminal event the script's {@code end} names ({@code response.completed},
 * {@code response.incomplete}, {@code response.failed}) carrying the whole response and its usage.
 * No {@code [DONE]}. An {@code error-after} cut ends with an {@code error} event.
 */
final class ResponsesStream implements EventRenderer<ResponsesStream.Kind> {

    enum Kind {
        CREATED,
        ITEM_ADDED,
        CONTENT,
        TERMINAL,
        ERROR
    }

    private final SimRequest request;
    private final Script script;
    private final SseFraming sse;
    private final String itemId;
    private int sequence;

    ResponsesStream(SimRequest request, Script script) {
        this.request = request;
        this.script = script;
        this.sse = SseFraming.of(script);
        this.itemId = (script.tools() > 0 ? "fc_" : "msg_") + request.id("", 3, 24);
    }

    StreamPlan<Kind> plan() {
        return new StreamPlan.Builder<Kind>()
                .add(Kind.CREATED, 1)
                .add(Kind.ITEM_ADDED, 1)
                .steps(Kind.CONTENT, script.contentSteps(), 1, true)
                .add(Kind.TERMINAL, 1)
                .build(script, Kind.ERROR);
    }

    @Override
    public SimUsage append(StringBuilder out, Kind kind, int offset) {
        String type =
                switch (kind) {
                    case CREATED -> "response.created";
                    case ITEM_ADDED -> "response.output_item.added";
                    case CONTENT ->
                            script.tools() > 0
                                    ? "response.function_call_arguments.delta"
                                    : "response.output_text.delta";
                    case TERMINAL ->
                            switch (script.end()) {
                                case COMPLETED -> "response.completed";
                                case INCOMPLETE -> "response.incomplete";
                                case FAILED -> "response.failed";
                            };
                    case ERROR -> "error";
                };
        sse.open(out, type);
        out.append("{\"type\":\"")
                .append(type)
                .append("\",\"sequence_number\":")
                .append(sequence++);
        SimUsage carried = null;
        switch (kind) {
            case CREATED ->
                    out.append(",\"response\":").append(FullResponse.responseInProgress(request));
            case ITEM_ADDED -> {
                out.append(",\"output_index\":0,\"item\":{\"id\":\"").append(itemId);
                if (script.tools() > 0) {
                    out.append("\",\"type\":\"function_call\",\"status\":\"in_progress\",")
                            .append("\"arguments\":\"\",\"call_id\":\"")
                            .append(request.id("call_", 2, 20))
                            .append("\",\"name\":\"")
                            .append(request.toolNameJson())
                            .append("\"}");
                } else {
                    out.append("\",\"type\":\"message\",\"status\":\"in_progress\",")
                            .append("\"role\":\"assistant\",\"content\":[]}");
                }
            }
            case CONTENT -> {
                out.append(",\"item_id\":\"").append(itemId).append("\",\"output_index\":0,");
                if (script.tools() == 0) {
                    out.append("\"content_index\":0,");
                }
                out.append("\"delta\":\"");
                if (script.tools() > 0) {
                    ToolArguments.appendEscapedFragment(out, script, 0, offset);
                } else {
                    GeneratedText.appendChunk(out, script.text(), 0, offset, script.chunkChars());
                }
                out.append('"');
            }
            case TERMINAL -> {
                out.append(",\"response\":").append(FullResponse.response(request, script));
                carried = FullResponse.responseUsage(request, script);
            }
            case ERROR ->
                    out.append(",\"code\":\"server_error\",\"message\":\"The server had an error")
                            .append(" while processing your request.\",\"param\":null");
        }
        out.append('}');
        sse.close(out);
        return carried;
    }
}
