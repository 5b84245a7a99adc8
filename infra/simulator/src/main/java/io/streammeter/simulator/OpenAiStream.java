package io.streammeter.simulator;

import io.streammeter.simulator.Script.UsageMode;

/**
 * An OpenAI {@code chat.completion.chunk} stream: one role chunk per choice, the content steps (one
 * chunk per choice each), one finish chunk per choice, the usage chunk where the script puts it,
 * then {@code [DONE]}. Chunks are rendered from string templates, not JSON trees.
 */
final class OpenAiStream implements EventRenderer<OpenAiStream.Kind> {

    enum Kind {
        ROLE,
        CONTENT,
        FINISH,
        USAGE,
        ERROR,
        DONE
    }

    static final String ERROR_JSON =
            "{\"error\":{\"message\":\"The server had an error while processing your request."
                    + " Sorry about that!\",\"type\":\"server_error\",\"param\":null,"
                    + "\"code\":\"server_error\"}}";

    private final SimRequest request;
    private final Script script;
    private final SseFraming sse;
    private final String prefix;
    private final String callIdPrefix;
    private final UsageMode usage;

    OpenAiStream(SimRequest request, Script script) {
        this.request = request;
        this.script = script;
        this.sse = SseFraming.of(script);
        this.prefix =
                "{\"id\":\""
                        + request.id("chatcmpl-", 0, 29)
                        + (request.api() == Api.COMPLETIONS
                                ? "\",\"object\":\"text_completion\",\"created\":"
                                : "\",\"object\":\"chat.completion.chunk\",\"created\":")
                        + request.created()
                        + ",\"model\":\""
                        + request.modelJson()
                        + "\",\"system_fingerprint\":\""
                        + request.id("fp_", 1, 10)
                        + "\",\"choices\":[";
        this.callIdPrefix = request.id("call_", 2, 20);
        this.usage = effectiveUsage(request, script);
    }

    /** The usage placement after resolving {@code auto} against the request. */
    static UsageMode effectiveUsage(SimRequest request, Script script) {
        if (script.usage() == UsageMode.AUTO) {
            return request.includeUsage() ? UsageMode.SEPARATE : UsageMode.NEVER;
        }
        return script.usage();
    }

    StreamPlan<Kind> plan() {
        int n = request.n();
        return new StreamPlan.Builder<Kind>()
                .add(Kind.ROLE, request.api() == Api.COMPLETIONS ? 0 : n)
                .steps(Kind.CONTENT, script.contentSteps(), n, true)
                .add(Kind.FINISH, n)
                .add(Kind.USAGE, usage == UsageMode.SEPARATE ? 1 : 0)
                .add(Kind.DONE, 1)
                .build(script, Kind.ERROR);
    }

    @Override
    public SimUsage append(StringBuilder out, Kind kind, int offset) {
        sse.open(out, null);
        SimUsage carried =
                switch (kind) {
                    case ROLE -> chunk(out, offset, Kind.ROLE, 0, 0);
                    case CONTENT -> {
                        int n = request.n();
                        int step = offset / n;
                        int choice = offset % n;
                        yield chunk(out, choice, Kind.CONTENT, step, generatedAfter(step, choice));
                    }
                    case FINISH -> chunk(out, offset, Kind.FINISH, 0, generatedAfter(-1, -1));
                    case USAGE -> usageChunk(out);
                    case ERROR -> {
                        out.append(ERROR_JSON);
                        yield null;
                    }
                    case DONE -> {
                        out.append("[DONE]");
                        yield null;
                    }
                };
        sse.close(out);
        return carried;
    }

    private SimUsage chunk(StringBuilder out, int choice, Kind kind, int step, long generated) {
        boolean tools = script.tools() > 0;
        if (request.api() == Api.COMPLETIONS) {
            out.append(prefix).append("{\"text\":\"");
            if (kind == Kind.CONTENT) {
                GeneratedText.appendChunk(out, script.text(), choice, step, script.chunkChars());
            }
            out.append("\",\"index\":").append(choice);
        } else {
            out.append(prefix).append("{\"index\":").append(choice).append(",\"delta\":");
        }
        switch (request.api() == Api.COMPLETIONS ? Kind.DONE : kind) {
            case ROLE -> {
                if (tools) {
                    out.append(
                                    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,")
                            .append("\"id\":\"")
                            .append(callIdPrefix)
                            .append(choice)
                            .append("\",\"type\":\"function\",\"function\":{\"name\":\"")
                            .append(request.toolNameJson())
                            .append("\",\"arguments\":\"\"}}]}");
                } else {
                    out.append("{\"role\":\"assistant\",\"content\":\"\"}");
                }
            }
            case CONTENT -> {
                if (tools) {
                    out.append("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"");
                    ToolArguments.appendEscapedFragment(out, script, choice, step);
                    out.append("\"}}]}");
                } else {
                    out.append("{\"content\":\"");
                    GeneratedText.appendChunk(
                            out, script.text(), choice, step, script.chunkChars());
                    out.append("\"}");
                }
            }
            case FINISH, USAGE, ERROR -> out.append("{}");
            case DONE -> {} // a legacy completion's choice has its text, no delta
        }
        out.append(",\"logprobs\":null,\"finish_reason\":");
        if (kind == Kind.FINISH) {
            out.append(tools ? "\"tool_calls\"" : "\"stop\"");
        } else {
            out.append("null");
        }
        out.append("}]");
        boolean lastFinish = kind == Kind.FINISH && choice == request.n() - 1;
        SimUsage carried = null;
        switch (usage) {
            case SEPARATE -> out.append(",\"usage\":null");
            case EVERY -> carried = ExpectedUsage.openAiAfter(request, script, generated);
            case FINISH -> carried = lastFinish ? ExpectedUsage.of(request, script) : null;
            default -> {}
        }
        if (carried != null) {
            appendUsage(out.append(",\"usage\":"), carried);
        }
        out.append('}');
        return carried;
    }

    private SimUsage usageChunk(StringBuilder out) {
        SimUsage total = ExpectedUsage.of(request, script);
        out.append(prefix).append("],\"usage\":");
        appendUsage(out, total);
        out.append('}');
        return total;
    }

    /**
     * Tokens generated by all choices once choices {@code 0..choice} have written step {@code step}
     * and the others step {@code step - 1}; {@code (-1, -1)} means all steps of all choices. This
     * keeps {@code usage=every} cumulative and ending at the final figure.
     */
    private long generatedAfter(int step, int choice) {
        int n = request.n();
        if (step < 0) {
            return n * ExpectedUsage.stepTokens(script, script.contentSteps());
        }
        return (choice + 1) * ExpectedUsage.stepTokens(script, step + 1)
                + (long) (n - choice - 1) * ExpectedUsage.stepTokens(script, step);
    }

    static void appendUsage(StringBuilder out, SimUsage u) {
        out.append("{\"prompt_tokens\":")
                .append(u.promptTokens())
                .append(",\"completion_tokens\":")
                .append(u.completionTokens())
                .append(",\"total_tokens\":")
                .append(u.totalTokens())
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":")
                .append(u.cachedTokens())
                .append("},\"completion_tokens_details\":{\"reasoning_tokens\":")
                .append(u.reasoningTokens())
                .append("}}");
    }
}
