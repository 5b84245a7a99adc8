package io.streammeter.metering.topology;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.Alerts;
import io.streammeter.metering.domain.SummaryChange;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Emits an alert for every line item missing usage or its start ({@link Alerts#raises}) and keeps
 * the recent ones queryable in {@link Names#ALERT_STORE}, bucketed by end time. A corrected line
 * item replaces its stream's earlier alert in the store (a resolved one leaves none); the alert
 * topic keeps both.
 */
final class MissingUsageAlertProcessor
        implements Processor<String, SummaryChange, String, MissingUsageAlert> {
    private ProcessorContext<String, MissingUsageAlert> context;
    private WindowStore<String, MissingUsageAlert> store;

    @Override
    public void init(ProcessorContext<String, MissingUsageAlert> context) {
        this.context = context;
        this.store = context.getStateStore(Names.ALERT_STORE);
    }

    @Override
    public void process(Record<String, SummaryChange> record) {
        StreamSummary previous = record.value().previous();
        StreamSummary current = record.value().current();
        if (previous != null && Alerts.raises(previous)) {
            store.put(previous.getStreamId(), null, previous.getEndedAt().toEpochMilli());
        }
        if (!Alerts.raises(current)) {
            return;
        }
        MissingUsageAlert alert = Alerts.missingUsage(current);
        store.put(current.getStreamId(), alert, current.getEndedAt().toEpochMilli());
        context.forward(record.withValue(alert));
    }
}
