package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.MissingUsageRateAlert;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamEvent;
import io.streammeter.metering.config.MeteringConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/** Missing-usage alerts per line item and the rate view per model and upstream. */
class MissingUsageTopologyTest {

    @Test
    void shouldAlertOnEveryLineItemMissingUsage() {
        try (MeteringDriver metering = new MeteringDriver(T0)) {
            metering.pipe(
                    started("s1", T0),
                    ended(
                            "s1",
                            1,
                            T0.plusSeconds(1),
                            null,
                            e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED)),
                    started("s2", T0),
                    ended("s2", T0.plusSeconds(2), usage(1, 1)),
                    started("s3", T0),
                    ended(
                            "s3",
                            1,
                            T0.plusSeconds(3),
                            null,
                            e -> e.setOutcome(Outcome.UPSTREAM_TRUNCATED)));

            List<MissingUsageAlert> alerts = metering.alerts();
            assertEquals(
                    List.of("s1", "s3"),
                    alerts.stream().map(MissingUsageAlert::getStreamId).toList());
            assertEquals("client_disconnected", alerts.get(0).getReason());
            assertEquals("upstream_truncated", alerts.get(1).getReason());
            assertEquals(100, alerts.get(0).getEstimatedPromptTokens());
        }
    }

    @Test
    void shouldReplaceAnOrphansAlertWhenItIsCorrected() {
        try (MeteringDriver metering = new MeteringDriver(T0)) {
            metering.pipe(started("s1", T0));
            metering.advanceWallClock(Duration.ofMinutes(11));
            metering.pipe(
                    ended(
                            "s1",
                            1,
                            T0.plusSeconds(3),
                            null,
                            e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED)));

            List<MissingUsageAlert> alerts = metering.alerts();
            assertEquals(
                    List.of("orphaned", "client_disconnected"),
                    alerts.stream().map(MissingUsageAlert::getReason).toList());
            WindowStore<String, MissingUsageAlert> store =
                    metering.driver.getWindowStore(Names.ALERT_STORE);
            List<String> kept = new ArrayList<>();
            try (var it = store.fetchAll(0, Long.MAX_VALUE / 2)) {
                it.forEachRemaining(kv -> kept.add(kv.value.getReason()));
            }
            assertEquals(List.of("client_disconnected"), kept, "the store keeps the latest alert");
        }
    }

    @Test
    void shouldAlertOnceWhenTheShareInAWindowExceedsTheThreshold() {
        MeteringConfig config =
                MeteringConfig.defaults()
                        .with("rate-min-streams", "4")
                        .with("rate-threshold-permille", "250");
        try (MeteringDriver metering = new MeteringDriver(config, T0)) {
            for (int i = 0; i < 3; i++) {
                metering.pipe(streamWithUsage("ok" + i));
            }
            metering.pipe(streamWithoutUsage("missing0"));
            assertEquals(
                    List.of(), metering.rateAlerts(), "1 of 4 is 25 %: not above the threshold");

            metering.pipe(streamWithoutUsage("missing1"));
            metering.pipe(streamWithoutUsage("missing2"));

            List<MissingUsageRateAlert> alerts = metering.rateAlerts();
            assertEquals(1, alerts.size(), "alerts: " + alerts);
            MissingUsageRateAlert alert = alerts.get(0);
            assertEquals("gpt-4o-mini", alert.getModel());
            assertEquals("simulator", alert.getUpstream());
            assertEquals(5, alert.getStreams());
            assertEquals(2, alert.getStreamsMissingUsage());
            assertEquals(400, alert.getSharePermille());
            assertEquals(250, alert.getThresholdPermille());
            assertEquals(T0, alert.getWindowStart());
            assertEquals(T0.plus(Duration.ofMinutes(5)), alert.getWindowEnd());
            assertEquals(1.0, metering.metrics.count("metering.rate.alerts"));
        }
    }

    @Test
    void shouldLeaveRejectedStreamsOutOfTheRate() {
        MeteringConfig config =
                MeteringConfig.defaults()
                        .with("rate-min-streams", "2")
                        .with("rate-threshold-permille", "400");
        try (MeteringDriver metering = new MeteringDriver(config, T0)) {
            for (String id : List.of("r1", "r2")) {
                metering.pipe(
                        started(id, T0),
                        ended(
                                id,
                                1,
                                T0.plusSeconds(1),
                                null,
                                e -> e.setOutcome(Outcome.REJECTED).setUpstreamStatus(null)));
            }
            metering.pipe(streamWithUsage("ok"));
            metering.pipe(streamWithoutUsage("missing"));

            assertEquals(1, metering.rateAlerts().size(), "1 of 2 accepted streams: 50 %");
        }
    }

    private static StreamEvent[] streamWithUsage(String id) {
        return new StreamEvent[] {started(id, T0), ended(id, T0.plusSeconds(10), usage(10, 10))};
    }

    private static StreamEvent[] streamWithoutUsage(String id) {
        return new StreamEvent[] {started(id, T0), ended(id, T0.plusSeconds(10), null)};
    }
}
