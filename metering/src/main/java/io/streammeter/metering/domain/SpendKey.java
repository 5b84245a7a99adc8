package io.streammeter.metering.domain;

import io.streammeter.avro.StreamSummary;

/**
 * The spend dimensions of a line item: key id and model, each {@value #NONE} when unknown. The
 * store key is {@code keyId|model}; the {@code spend-hourly} record key adds {@code |windowStart}
 * (epoch millis). Key ids never contain {@code |}, so the key id is everything before the first.
 */
public record SpendKey(String keyId, String model) {
    public static final String NONE = "-";
    public static final char SEPARATOR = '|';

    public static SpendKey of(StreamSummary summary) {
        return new SpendKey(orNone(summary.getKeyId()), orNone(summary.getModel()));
    }

    public static SpendKey parse(String storeKey) {
        int at = storeKey.indexOf(SEPARATOR);
        return at < 0
                ? new SpendKey(storeKey, NONE)
                : new SpendKey(storeKey.substring(0, at), storeKey.substring(at + 1));
    }

    /** The key id part of a store or record key. */
    public static String keyIdOf(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    public String storeKey() {
        return keyId + SEPARATOR + model;
    }

    public String recordKey(long windowStart) {
        return storeKey() + SEPARATOR + windowStart;
    }

    static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
