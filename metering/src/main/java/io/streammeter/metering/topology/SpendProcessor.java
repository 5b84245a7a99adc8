package io.streammeter.metering.topology;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.SpendAmounts;
import io.streammeter.metering.domain.SpendEntry;
import io.streammeter.metering.domain.SpendKey;
import io.streammeter.metering.metrics.MeteringMetrics;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Applies spend entries to hourly rows in {@link Names#SPEND_STORE}. An entry belongs to the hour
 * of its line item's end time; it is late when that hour's end plus the grace is at or before the
 * stream time of this partition (the highest end time seen, kept across restarts by Kafka Streams).
 * Late entries are not applied: they go out as {@link SpendOutput.Late}, counted.
 */
final class SpendProcessor implements Processor<String, SpendEntry, String, SpendOutput> {
    private final long window = MeteringConfig.SPEND_WINDOW.toMillis();
    private final Duration grace;
    private final MeteringMetrics metrics;
    private ProcessorContext<String, SpendOutput> context;
    private WindowStore<String, SpendAggregate> rows;

    SpendProcessor(Duration grace, MeteringMetrics metrics) {
        this.grace = grace;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpendOutput> context) {
        this.context = context;
        this.rows = context.getStateStore(Names.SPEND_STORE);
    }

    @Override
    public void process(Record<String, SpendEntry> record) {
        SpendEntry entry = record.value();
        long windowStart = windowStart(entry.time(), window);
        if (isLate(windowStart, window, grace.toMillis(), context.currentStreamTimeMs())) {
            metrics.lateSpend(entry.effect());
            Headers headers =
                    new RecordHeaders()
                            .add(SpendEntry.EFFECT_HEADER, entry.effect().code().getBytes(UTF_8));
            context.forward(
                    new Record<String, SpendOutput>(
                            entry.lineItem().getStreamId(),
                            new SpendOutput.Late(entry),
                            record.timestamp(),
                            headers));
            return;
        }
        SpendKey key = entry.key();
        SpendAggregate row = rows.fetch(key.storeKey(), windowStart);
        if (row == null) {
            row = SpendAmounts.emptyRow(key, windowStart, windowStart + window);
        }
        SpendAggregate next = entry.amounts().addTo(row);
        rows.put(key.storeKey(), next, windowStart);
        context.forward(
                new Record<String, SpendOutput>(
                        key.recordKey(windowStart),
                        new SpendOutput.Updated(next),
                        record.timestamp()));
    }

    static long windowStart(long time, long window) {
        return time - Math.floorMod(time, window);
    }

    static boolean isLate(long windowStart, long window, long grace, long streamTime) {
        return windowStart + window + grace <= streamTime;
    }
}
