package io.streammeter.metering.topology;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.SummaryChange;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Writes each line item into both lookup stores at its end time. A correction may end at another
 * time than the revision it replaces (an orphan's end arriving late): the earlier revision is
 * deleted first, so each stream is in each store once, at its latest revision.
 */
final class LineItemIndexProcessor implements Processor<String, SummaryChange, Void, Void> {
    private WindowStore<String, StreamSummary> byStream;
    private WindowStore<String, StreamSummary> byKey;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.byStream = context.getStateStore(Names.LINE_ITEM_STORE);
        this.byKey = context.getStateStore(Names.KEY_LINE_ITEM_STORE);
    }

    @Override
    public void process(Record<String, SummaryChange> record) {
        StreamSummary previous = record.value().previous();
        StreamSummary current = record.value().current();
        if (previous != null) {
            long at = previous.getEndedAt().toEpochMilli();
            byStream.put(previous.getStreamId(), null, at);
            String key = LineItemTopology.keyOf(previous);
            if (key != null) {
                byKey.put(key, null, at);
            }
        }
        long at = current.getEndedAt().toEpochMilli();
        byStream.put(current.getStreamId(), current, at);
        String key = LineItemTopology.keyOf(current);
        if (key != null) {
            byKey.put(key, current, at);
        }
    }
}
