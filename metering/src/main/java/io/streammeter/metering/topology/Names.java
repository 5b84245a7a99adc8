package io.streammeter.metering.topology;

/**
 * Every processor, store and internal topic name of the topology, in one place: they name changelog
 * and repartition topics and state directories, so renaming one is a migration. The golden test of
 * the topology description makes every rename a visible diff.
 */
public final class Names {
    private Names() {}

    // stream fold: stream-events -> line items
    public static final String EVENTS_SOURCE = "stream-events-source";
    public static final String FOLD = "stream-fold";
    public static final String OPEN_STORE = "stream-open-store";
    public static final String DEADLINE_STORE = "stream-deadline-store";
    public static final String CLOSED_STORE = "stream-closed-store";
    public static final String SUMMARY_VALUES = "line-item-values";
    public static final String SUMMARIES_SINK = "stream-summaries-sink";

    // line items the query API looks up: by stream id, and by key id newest first
    public static final String LINE_ITEM_INDEX = "line-item-index";
    public static final String LINE_ITEM_STORE = "line-item-store";
    public static final String KEY_LINE_ITEM_STORE = "line-items-by-key-store";

    // missing-usage alerts
    public static final String ALERTS = "missing-usage-alerts";
    public static final String ALERT_STORE = "missing-usage-alert-store";
    public static final String ALERTS_SINK = "missing-usage-alerts-sink";

    // hourly spend
    public static final String SPEND_ENTRIES = "spend-entries";
    public static final String SPEND_KEYED = "spend-keyed-by-key-and-model";
    public static final String SPEND_REPARTITION = "spend-by-key-id";
    public static final String SPEND_AGGREGATE = "spend-aggregate";
    public static final String SPEND_STORE = "spend-hourly-store";
    public static final String SPEND_SPLIT = "spend-split";
    public static final String SPEND_UPDATED = "-updated";
    public static final String SPEND_LATE = "-late";
    public static final String SPEND_ROWS = "spend-rows";
    public static final String SPEND_SINK = "spend-hourly-sink";
    public static final String SPEND_LATE_ITEMS = "spend-late-line-items";
    public static final String SPEND_LATE_SINK = "spend-late-sink";

    // missing-usage rate
    public static final String RATE_LINE_ITEMS = "rate-line-items";
    public static final String RATE_ELIGIBLE = "rate-eligible";
    public static final String RATE_KEYED = "rate-keyed-by-model-and-upstream";
    public static final String RATE_GROUPED = "rate-by-model-and-upstream";
    public static final String RATE_WINDOWS = "rate-windows";
    public static final String RATE_STORE = "missing-usage-rate-store";
    public static final String RATE_WINDOW_UPDATES = "rate-window-updates";
    public static final String RATE_CROSSED = "rate-crossed-threshold";
    public static final String RATE_ALERTS = "rate-alerts";
    public static final String RATE_ALERTS_SINK = "missing-usage-rate-alerts-sink";
}
