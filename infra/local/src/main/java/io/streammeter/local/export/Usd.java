package io.streammeter.local.export;

import java.math.BigDecimal;

/** Money as billing files show it: USD with six decimals, straight from integer micro-USD. */
final class Usd {
    private Usd() {}

    static BigDecimal ofMicros(long micros) {
        return BigDecimal.valueOf(micros, 6);
    }

    static String format(long micros) {
        return ofMicros(micros).toPlainString();
    }
}
