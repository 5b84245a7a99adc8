package io.streammeter.simulator;

/**
 * The arguments of the simulated tool call: {@code {"arg":"<text>"}}, sent in as many fragments as
 * the script's {@code tools} value, each fragment one chunk of generated text.
 */
final class ToolArguments {

    static final String PREFIX = "{\"arg\":\"";
    static final String SUFFIX = "\"}";
    private static final String PREFIX_ESCAPED = "{\\\"arg\\\":\\\"";
    private static final String SUFFIX_ESCAPED = "\\\"}";

    private ToolArguments() {}

    /** Appends fragment {@code step}, escaped to sit inside a JSON string. */
    static void appendEscapedFragment(StringBuilder out, Script script, int choice, int step) {
        if (step == 0) {
            out.append(PREFIX_ESCAPED);
        }
        GeneratedText.appendChunk(out, script.text(), choice, step, script.chunkChars());
        if (step == script.tools() - 1) {
            out.append(SUFFIX_ESCAPED);
        }
    }

    /** The text argument value of a complete call, as a non-streaming answer carries it. */
    static String argValue(Script script, int choice) {
        return GeneratedText.block(script.text(), choice, script.tools(), script.chunkChars());
    }
}
