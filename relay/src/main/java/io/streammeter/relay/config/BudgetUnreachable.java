package io.streammeter.relay.config;

/** What a platform relay does when metering cannot judge a reservation. */
public enum BudgetUnreachable {
    /** 503 with Retry-After: no request goes upstream unchecked (the default). */
    REFUSE,
    /** Serve it unchecked, counted and logged: availability over the budget guarantee. */
    ADMIT
}
