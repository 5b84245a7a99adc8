package io.streammeter.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one command-line flag syntax of every streammeter main: {@code --key=value} or {@code --key
 * value}. A later flag for the same key wins.
 */
public final class Flags {
    private Flags() {}

    /**
     * The flags by key, in order.
     *
     * @throws IllegalArgumentException naming the argument that is not a flag or has no value
     */
    public static Map<String, String> parse(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2 || arg.startsWith("--=")) {
                throw new IllegalArgumentException("expected --key=value, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.size()) {
                flags.put(arg.substring(2), args.get(++i));
            } else {
                throw new IllegalArgumentException("flag " + arg + " needs a value");
            }
        }
        return flags;
    }

    /** {@link #parse(List)} of a {@code main} method's arguments. */
    public static Map<String, String> parse(String... args) {
        return parse(List.of(args));
    }
}
