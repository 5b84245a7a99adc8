package io.streammeter.relay.config;

/** Who may read the relay's {@code /metrics}. */
public enum MetricsAuth {
    /** Scrapers present {@code Authorization: Bearer <token>} of {@code metrics.token-file}. */
    TOKEN,
    /** Anyone who reaches the port: only behind a network boundary that keeps callers out. */
    NONE
}
