package io.streammeter.relay.publish;

/**
 * The spool as {@code /readyz} shows it.
 *
 * @param depth events accepted and not acknowledged by Kafka: in memory, on disk, in the client
 * @param bytes bytes of spool segment files on disk
 * @param oldestAgeMillis age of the oldest unacknowledged event (milliseconds); 0 when none
 * @param spooling whether Kafka is not acknowledging (failures, or the oldest event waits long)
 * @param full whether the spool is at its size limit, so that its full policy applies
 * @param shed chunk events not spooled since start, because the spool or the queue was full
 * @param replayed events sent again since start (after a failure, or left by a previous run)
 */
public record SpoolStatus(
        long depth,
        long bytes,
        long oldestAgeMillis,
        boolean spooling,
        boolean full,
        long shed,
        long replayed) {

    /** The status as a JSON object. */
    public String json() {
        return "{\"depth\":"
                + depth
                + ",\"bytes\":"
                + bytes
                + ",\"oldestAgeMillis\":"
                + oldestAgeMillis
                + ",\"spooling\":"
                + spooling
                + ",\"full\":"
                + full
                + ",\"shed\":"
                + shed
                + ",\"replayed\":"
                + replayed
                + "}";
    }
}
