package io.streammeter.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one side of a scenario measured; {@link #merge} adds the runs of the same side. Latencies in
 * microseconds, CPU in microseconds, memory in KiB. A chunk is an SSE data event other than {@code
 * [DONE]}.
 */
final class SideResult {
    static final long MAX_MICROS = 600_000_000L;

    final String scenario;
    final Side side;
    int runs;
    long windowNanos;
    long streamsInWindow;
    long chunksInWindow;
    long streamsTotal;
    long chunksTotal;
    long bytesTotal;
    long readsTotal;
    long statusErrors;
    long failures;
    long incomplete;
    long unfinished;
    final Histogram ttfc = new Histogram(MAX_MICROS, 3);
    final Histogram gap = new Histogram(MAX_MICROS, 3);
    long relayCpu;
    long relaySystemCpu;
    long simulatorCpu;
    long brokerCpu;
    long loadCpu;
    long relayRssKib;
    long relayHwmKib;
    long simulatorRssKib;

    /** idle-open: streams open when memory was sampled, and memory of the serving process. */
    long openAtSample;

    long heapBeforeKib = -1;
    long heapOpenKib = -1;
    long rssBeforeKib = -1;
    long rssOpenKib = -1;

    SideResult(String scenario, Side side) {
        this.scenario = scenario;
        this.side = side;
    }

    long errors() {
        return statusErrors + failures + incomplete + unfinished;
    }

    double streamsPerSecond() {
        return windowNanos == 0 ? 0 : streamsInWindow * 1e9 / windowNanos;
    }

    double chunksPerSecond() {
        return windowNanos == 0 ? 0 : chunksInWindow * 1e9 / windowNanos;
    }

    /** CPU microseconds per chunk of the given process over every chunk this side carried. */
    double perChunk(long cpuMicros) {
        return chunksTotal == 0 || cpuMicros < 0 ? Double.NaN : (double) cpuMicros / chunksTotal;
    }

    /** Memory per open stream (bytes) from two snapshots; NaN when not sampled. */
    static double perStream(long beforeKib, long openKib, long open) {
        if (beforeKib < 0 || openKib < 0 || open <= 0) {
            return Double.NaN;
        }
        return (openKib - beforeKib) * 1024.0 / open;
    }

    void merge(SideResult other) {
        runs += other.runs;
        windowNanos += other.windowNanos;
        streamsInWindow += other.streamsInWindow;
        chunksInWindow += other.chunksInWindow;
        streamsTotal += other.streamsTotal;
        chunksTotal += other.chunksTotal;
        bytesTotal += other.bytesTotal;
        readsTotal += other.readsTotal;
        statusErrors += other.statusErrors;
        failures += other.failures;
        incomplete += other.incomplete;
        unfinished += other.unfinished;
        ttfc.add(other.ttfc);
        gap.add(other.gap);
        relayCpu += other.relayCpu;
        relaySystemCpu += other.relaySystemCpu;
        simulatorCpu += other.simulatorCpu;
        brokerCpu += other.brokerCpu;
        loadCpu += other.loadCpu;
        relayRssKib = Math.max(relayRssKib, other.relayRssKib);
        relayHwmKib = Math.max(relayHwmKib, other.relayHwmKib);
        simulatorRssKib = Math.max(simulatorRssKib, other.simulatorRssKib);
        if (other.openAtSample > 0) {
            openAtSample = other.openAtSample;
            heapBeforeKib = other.heapBeforeKib;
            heapOpenKib = other.heapOpenKib;
            rssBeforeKib = other.rssBeforeKib;
            rssOpenKib = other.rssOpenKib;
        }
    }
}
