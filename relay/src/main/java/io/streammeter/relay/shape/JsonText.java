package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** Counting and reading JSON strings from a parser without building a String per value. */
public final class JsonText {
    private JsonText() {}

    /** Code points of the current string value: surrogate pairs count once. */
    public static int codePoints(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        int count = length;
        for (int i = offset; i < offset + length; i++) {
            if (Character.isLowSurrogate(chars[i])) {
                count--;
            }
        }
        return count;
    }

    /** Whether the current string value equals {@code known}, compared in place. */
    public static boolean textEquals(JsonParser p, String known) throws IOException {
        if (known == null || p.getTextLength() != known.length()) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        for (int i = 0; i < known.length(); i++) {
            if (chars[offset + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The current string value, cut to {@code max} characters. */
    public static String shortText(JsonParser p, int max) throws IOException {
        String text = p.getText();
        return text.length() <= max ? text : text.substring(0, max);
    }
}
