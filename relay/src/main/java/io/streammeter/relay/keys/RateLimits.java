package io.streammeter.relay.keys;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per minute and tokens per minute of each platform key, counted by this relay alone (with
 * N relays a key may get up to N × its limits; documented in docs/keys-and-budgets.md). Windows are
 * calendar UTC minutes; tokens are counted at admission by the request's worst case (prompt bound +
 * maximum output), so the limit is never exceeded by what was admitted.
 */
public final class RateLimits {

    /** The outcome of a check. */
    public sealed interface Verdict {}

    /** Within both limits; counted. */
    public record Allowed() implements Verdict {}

    /**
     * Over a limit: {@code code} is {@code requests_per_minute} or {@code tokens_per_minute};
     * nothing was counted.
     */
    public record Limited(String code, long limit, Instant resetsAt) implements Verdict {
        /** Whole seconds until the window resets, at least 1 (for {@code Retry-After}). */
        public long retryAfterSeconds(Instant now) {
            return Math.max(1, (long) Math.ceil(now.until(resetsAt, ChronoUnit.MILLIS) / 1000.0));
        }
    }

    private record Window(long minute, long requests, long tokens) {}

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * Counts one request of {@code tokens} worst-case tokens for {@code keyId} if it fits both
     * limits (null: no limit).
     */
    public Verdict check(
            String keyId,
            Integer requestsPerMinute,
            Long tokensPerMinute,
            long tokens,
            Instant now) {
        if (requestsPerMinute == null && tokensPerMinute == null) {
            return new Allowed();
        }
        long minute = now.getEpochSecond() / 60;
        Instant resetsAt = Instant.ofEpochSecond((minute + 1) * 60);
        Verdict[] verdict = new Verdict[1];
        windows.compute(
                keyId,
                (id, w) -> {
                    Window current =
                            w == null || w.minute() != minute ? new Window(minute, 0, 0) : w;
                    if (requestsPerMinute != null && current.requests() + 1 > requestsPerMinute) {
                        verdict[0] =
                                new Limited("requests_per_minute", requestsPerMinute, resetsAt);
                        return current;
                    }
                    if (tokensPerMinute != null && current.tokens() + tokens > tokensPerMinute) {
                        verdict[0] = new Limited("tokens_per_minute", tokensPerMinute, resetsAt);
                        return current;
                    }
                    verdict[0] = new Allowed();
                    return new Window(minute, current.requests() + 1, current.tokens() + tokens);
                });
        return verdict[0];
    }
}
