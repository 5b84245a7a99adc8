package io.streammeter.metering.topology;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.metering.domain.SpendEntry;

/** What the spend aggregator emits: an updated hourly row, or an entry too late for its hour. */
sealed interface SpendOutput {

    /** The row after the entry was applied; key {@code keyId|model|windowStart}. */
    record Updated(SpendAggregate row) implements SpendOutput {}

    /** An entry whose hour had closed; key stream id, for {@code spend-late}. */
    record Late(SpendEntry entry) implements SpendOutput {}

    static boolean isLate(String key, SpendOutput output) {
        return output instanceof Late;
    }
}
