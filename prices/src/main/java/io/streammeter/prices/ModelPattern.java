package io.streammeter.prices;

import java.util.regex.Pattern;

/**
 * A model name, exact or glob. In a glob {@code *} stands for any run of characters (also none) and
 * {@code ?} for exactly one; everything else is literal. Matching is case-sensitive, on the whole
 * name. A glob is compiled once: every line item is priced through it.
 */
public final class ModelPattern {
    private final String text;
    private final Pattern regex;

    public ModelPattern(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model pattern must not be empty");
        }
        this.text = text;
        this.regex = isGlob(text) ? regex(text) : null;
    }

    public String text() {
        return text;
    }

    public boolean isGlob() {
        return regex != null;
    }

    public boolean matches(String model) {
        if (model == null) {
            return false;
        }
        return regex != null ? regex.matcher(model).matches() : text.equals(model);
    }

    private static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    private static Pattern regex(String text) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        return Pattern.compile(regex.append(Pattern.quote(literal.toString())).toString());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelPattern pattern && pattern.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
