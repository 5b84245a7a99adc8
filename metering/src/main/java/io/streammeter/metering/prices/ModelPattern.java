package io.streammeter.metering.prices;

import java.util.regex.Pattern;

/**
 * A model name, exact or glob. In a glob {@code *} stands for any run of characters (also none) and
 * {@code ?} for exactly one; everything else is literal. Matching is case-sensitive, on the whole
 * name.
 */
public record ModelPattern(String text) {

    public ModelPattern {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model pattern must not be empty");
        }
    }

    public boolean isGlob() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public boolean matches(String model) {
        if (model == null) {
            return false;
        }
        return isGlob() ? regex().matcher(model).matches() : text.equals(model);
    }

    private Pattern regex() {
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
    public String toString() {
        return text;
    }
}
