package io.streammeter.bench.faults;

import java.time.Duration;
import java.util.Map;

/**
 * One fault scenario: what is done to which process while the load runs, and how long.
 *
 * @param name the row name in the table
 * @param kind what happens
 * @param outage how long the broker stays stopped or frozen, or how long metering or the relay
 *     stays down before its restart
 * @param relaySettings relay settings for this scenario only (the relay is restarted with them
 *     before and without them after), such as a short delivery timeout or a spool policy
 */
record Fault(String name, Kind kind, Duration outage, Map<String, String> relaySettings) {

    enum Kind {
        /** Broker SIGTERM, restarted on the same data after the outage. */
        BROKER_STOP,
        /** Broker SIGSTOP, SIGCONT after the outage. */
        BROKER_FREEZE,
        /** Metering kill -9, restarted on the same state directory. */
        METERING_KILL,
        /** Relay SIGTERM with streams in flight, restarted. */
        RELAY_TERM,
        /** Relay kill -9 with streams in flight, restarted on the same spool. */
        RELAY_KILL,
        /** Spool at its limit: a small spool, the broker stopped for the outage. */
        SPOOL_FULL
    }

    /** Whether the fault stops or kills the relay, so a flagged orphan is a kept promise. */
    boolean relayFault() {
        return kind == Kind.RELAY_TERM || kind == Kind.RELAY_KILL;
    }
}
