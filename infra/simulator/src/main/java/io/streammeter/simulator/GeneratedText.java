package io.streammeter.simulator;

/**
 * The deterministic text the simulator "generates": a fixed phrase repeated, sliced into chunks of
 * whole code points. Neither alphabet holds a character that JSON must escape, so slices go into
 * JSON strings as they are.
 */
final class GeneratedText {

    private static final int[] ASCII =
            "The quick brown fox jumps over the lazy dog; 0123456789, pack my box! "
                    .codePoints()
                    .toArray();

    /** 1-byte, 2-byte (é, ü, ß), 3-byte (€, 日本) and 4-byte (😀, 🚀) UTF-8 sequences. */
    private static final int[] UTF8 =
            "Grüße, café à 5 € — 日本語 😀 naïve 🚀 ok. ".codePoints().toArray();

    private GeneratedText() {}

    /**
     * Appends step {@code step} of text block {@code block} (a choice index, or another block such
     * as thinking): exactly {@code chars} code points.
     */
    static void appendChunk(StringBuilder out, Script.Text text, int block, int step, int chars) {
        int[] alphabet = text == Script.Text.UTF8 ? UTF8 : ASCII;
        long start = (long) block * 13 + (long) step * chars;
        int at = (int) (start % alphabet.length);
        for (int i = 0; i < chars; i++) {
            out.appendCodePoint(alphabet[at]);
            at = at + 1 == alphabet.length ? 0 : at + 1;
        }
    }

    /** The first {@code steps} chunks of a block, concatenated. */
    static String block(Script.Text text, int block, int steps, int chars) {
        StringBuilder out = new StringBuilder(steps * chars);
        for (int step = 0; step < steps; step++) {
            appendChunk(out, text, block, step, chars);
        }
        return out.toString();
    }
}
