package io.streammeter.simulator;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Parses {@code key=value;key=value} into a {@link Script}, failing loudly on any mistake. */
final class ScriptParser {

    private static final long MAX_DELAY_MS = 3_600_000;
    private static final int MAX_COUNT = 1_000_000;

    private int chunks = 8;
    private int chunkChars = 8;
    private Script.Text text = Script.Text.ASCII;
    private long firstDelayMs;
    private long delayMs;
    private Script.UsageMode usage = Script.UsageMode.AUTO;
    private Script.End end = Script.End.COMPLETED;
    private int tools;
    private long cached;
    private long reasoning;
    private int status;
    private int errorAfter = -1;
    private int truncateAfter = -1;
    private int stallAfter = -1;
    private boolean crlf;
    private boolean comments;
    private boolean gzip;
    private int thinking;
    private boolean pings;
    private long cacheRead;
    private long cacheWrite;

    private ScriptParser() {}

    static Script parse(String headerValue) {
        ScriptParser p = new ScriptParser();
        Set<String> seen = new HashSet<>();
        if (headerValue != null) {
            for (String pair : headerValue.split(";")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException(
                            "script entry '" + pair.trim() + "' is not key=value");
                }
                String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = pair.substring(eq + 1).trim();
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("script key '" + key + "' is given twice");
                }
                p.set(key, value);
            }
        }
        return p.build();
    }

    private void set(String key, String v) {
        switch (key) {
            case "chunks" -> chunks = count(key, v, 0);
            case "chunk-chars" -> chunkChars = count(key, v, 1);
            case "text" -> text = choice(key, v, Script.Text.class);
            case "first-delay-ms" -> firstDelayMs = millis(key, v);
            case "delay-ms" -> delayMs = millis(key, v);
            case "usage" -> usage = choice(key, v, Script.UsageMode.class);
            case "tools" -> tools = count(key, v, 0);
            case "cached" -> cached = count(key, v, 0);
            case "reasoning" -> reasoning = count(key, v, 0);
            case "status" -> status = status(key, v);
            case "error-after" -> errorAfter = count(key, v, 0);
            case "truncate-after" -> truncateAfter = count(key, v, 0);
            case "stall-after" -> stallAfter = count(key, v, 0);
            case "crlf" -> crlf = flag(key, v);
            case "comments" -> comments = flag(key, v);
            case "gzip" -> gzip = flag(key, v);
            case "thinking" -> thinking = count(key, v, 0);
            case "pings" -> pings = flag(key, v);
            case "cache-read" -> cacheRead = count(key, v, 0);
            case "cache-write" -> cacheWrite = count(key, v, 0);
            case "end" -> end = choice(key, v, Script.End.class);
            default ->
                    throw new IllegalArgumentException(
                            "unknown script key '"
                                    + key
                                    + "' (known: chunks, chunk-chars, text, first-delay-ms,"
                                    + " delay-ms, usage, tools, cached, reasoning, status,"
                                    + " error-after, truncate-after, stall-after, crlf, comments,"
                                    + " gzip, thinking, pings, cache-read, cache-write, end)");
        }
    }

    private Script build() {
        return new Script(
                chunks,
                chunkChars,
                text,
                firstDelayMs,
                delayMs,
                usage,
                tools,
                cached,
                reasoning,
                status,
                errorAfter,
                truncateAfter,
                stallAfter,
                crlf,
                comments,
                gzip,
                thinking,
                pings,
                cacheRead,
                cacheWrite,
                end);
    }

    private static int count(String key, String v, int min) {
        long n = number(key, v);
        if (n < min || n > MAX_COUNT) {
            throw new IllegalArgumentException(
                    "script key '"
                            + key
                            + "' must be between "
                            + min
                            + " and "
                            + MAX_COUNT
                            + ", got '"
                            + v
                            + "'");
        }
        return (int) n;
    }

    private static long millis(String key, String v) {
        long n = number(key, v);
        if (n < 0 || n > MAX_DELAY_MS) {
            throw new IllegalArgumentException(
                    "script key '"
                            + key
                            + "' must be between 0 and "
                            + MAX_DELAY_MS
                            + " ms, got '"
                            + v
                            + "'");
        }
        return n;
    }

    private static int status(String key, String v) {
        long n = number(key, v);
        if (n < 400 || n > 599) {
            throw new IllegalArgumentException(
                    "script key '"
                            + key
                            + "' must be an HTTP error status 400-599, got '"
                            + v
                            + "'");
        }
        return (int) n;
    }

    private static long number(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "script key '" + key + "' needs a whole number, got '" + v + "'", e);
        }
    }

    private static boolean flag(String key, String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "script key '" + key + "' must be true or false, got '" + v + "'");
        };
    }

    private static <E extends Enum<E>> E choice(String key, String v, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(
                "script key '" + key + "' must be one of " + known + ", got '" + v + "'");
    }
}
