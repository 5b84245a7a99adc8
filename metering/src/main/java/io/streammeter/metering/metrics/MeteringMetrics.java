package io.streammeter.metering.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.Admission;
import io.streammeter.metering.domain.Alerts;
import io.streammeter.metering.domain.SpendEntry;
import java.time.Duration;
import java.time.Instant;

/**
 * Metering's own meters. Tag values come from closed sets only (enums of the contract and of this
 * module), never from keys, stream ids or model names. Counters count processing attempts: after a
 * crash, exactly-once reprocessing can count an event again, the output cannot.
 */
public final class MeteringMetrics {
    private final MeterRegistry registry;

    private final Timer endToSpend;

    public MeteringMetrics(MeterRegistry registry) {
        this.registry = registry;
        registerAtZero();
        endToSpend =
                Timer.builder("metering.end.to.spend")
                        .description(
                                "From a stream's end at the relay to its line item leaving the"
                                        + " fold; spend and alerts commit in the same transaction."
                                        + " First revisions of ended streams only (an orphan's wait"
                                        + " is the orphan timeout, not latency)")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
    }

    /**
     * Meters ops alert on exist from the start, at zero, so an absent series is never ambiguous.
     */
    private void registerAtZero() {
        for (Admission kind : Admission.values()) {
            if (kind != Admission.NEW) {
                counter("metering.events.ignored", "kind", kind.tag());
            }
        }
        for (SpendEntry.Effect effect : SpendEntry.Effect.values()) {
            counter("metering.spend.late", "effect", effect.code());
        }
        counter("metering.deserialization.errors", "action", "skipped");
        counter("metering.deserialization.errors", "action", "failed");
        counter("metering.unpriced.line.items");
        counter("metering.orphans");
        counter("metering.rate.alerts");
        counter("metering.sequence.gaps.streams");
        counter("metering.start.missing");
        counter("metering.start.missing.resolved");
        counter("metering.usage.partial");
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** An event that changed nothing: duplicate, after its stream's end, or for a closed stream. */
    public void ignoredEvent(Admission admission) {
        counter("metering.events.ignored", "kind", admission.tag()).increment();
    }

    public void lineItem(StreamSummary item) {
        counter(
                        "metering.line.items",
                        "outcome",
                        item.getOutcome().name().toLowerCase(java.util.Locale.ROOT),
                        "usage_source",
                        item.getUsageSource().name().toLowerCase(java.util.Locale.ROOT),
                        "revision",
                        item.getRevision() == 0 ? "first" : "correction")
                .increment();
        if (item.getRevision() == 0 && item.getOutcome() != Outcome.ORPHANED) {
            endToSpend.record(Duration.between(item.getEndedAt(), Instant.now()).abs());
        }
        if (item.getMissingUsage()) {
            counter("metering.missing.usage", "reason", item.getMissingUsageReason()).increment();
        }
        if (item.getUnpriced()) {
            counter("metering.unpriced.line.items").increment();
        }
        if (item.getSequenceGaps() > 0) {
            counter("metering.sequence.gaps.streams").increment();
            counter("metering.sequence.gaps.events").increment(item.getSequenceGaps());
        }
        if (item.getOutcome() == Outcome.ORPHANED && item.getRevision() == 0) {
            counter("metering.orphans").increment();
        }
        if (item.getRevision() == 0 && Alerts.startMissing(item)) {
            counter("metering.start.missing").increment();
        }
        if (item.getUsage() != null && item.getUsage().getPartial()) {
            counter("metering.usage.partial").increment();
        }
    }

    /**
     * A line item billed without its start (to no key) was corrected by the late start: what ops
     * paging on {@code metering.start.missing} subtract to see what is still unattributed.
     */
    public void startResolved() {
        counter("metering.start.missing.resolved").increment();
    }

    public void lateSpend(SpendEntry.Effect effect) {
        counter("metering.spend.late", "effect", effect.code()).increment();
    }

    public void rateAlert() {
        counter("metering.rate.alerts").increment();
    }

    public void deserializationError(boolean skipped) {
        counter("metering.deserialization.errors", "action", skipped ? "skipped" : "failed")
                .increment();
    }

    public void queryForwarded(String route) {
        counter("metering.query.forwarded", "route", route).increment();
    }

    /** The count of a counter so far; 0 if it was never incremented. For tests and health. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private Counter counter(String name, String... tags) {
        return registry.counter(name, tags);
    }
}
