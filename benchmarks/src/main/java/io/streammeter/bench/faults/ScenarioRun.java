package io.streammeter.bench.faults;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.bench.faults.Accounting.Row;
import io.streammeter.bench.faults.FaultLoad.Sent;
import io.streammeter.bench.faults.FaultsMain.Options;
import io.streammeter.bench.faults.FaultsMain.SpoolUnavailable;
import io.streammeter.bench.faults.FaultsMain.Suite;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario: load through the relay, the fault injected and proven while it runs, the processes
 * back, then metering waited for (a condition with a deadline) and its output compared with the
 * simulator's ledger.
 */
final class ScenarioRun {
    private final Stack stack;
    private final Fault fault;
    private final Options options;
    private final Vertx vertx;
    private final Duration orphanTimeout;
    private final Suite suite;
    private final StringBuilder proof = new StringBuilder();
    private boolean proven = true;

    ScenarioRun(
            Stack stack,
            Fault fault,
            Options options,
            Vertx vertx,
            Duration orphanTimeout,
            Suite suite) {
        this.stack = stack;
        this.fault = fault;
        this.options = options;
        this.vertx = vertx;
        this.orphanTimeout = orphanTimeout;
        this.suite = suite;
    }

    Row run() throws Exception {
        // Its own keys and tags per run: the two runs of scenario 6 must not share spend rows.
        String id =
                "s"
                        + fault.name().split(" ")[0]
                        + "-"
                        + Integer.toHexString(fault.name().hashCode());
        reviveTheDead(); // a process an earlier scenario left dead would make this one meaningless
        boolean ownRelay = !fault.relaySettings().isEmpty();
        if (ownRelay) {
            restartRelay(fault.relaySettings(), fault.kind() == Fault.Kind.SPOOL_FULL);
        }
        int requests = options.quick() ? 80 : 300;
        int concurrency = 8;
        suite.step(
                fault.name() + ": load (" + requests + "+ streams, " + concurrency + " at once)");
        FaultLoad load = new FaultLoad(vertx, stack.relayUrl(), id, requests, concurrency);
        load.start();
        Thread.sleep(options.quick() ? 4_000 : 10_000); // steady load before the fault
        inject(load);
        load.release();
        List<Sent> sent = load.await(Duration.ofMinutes(10));
        reviveTheDead();
        if (ownRelay) {
            restartRelay(Map.of(), false);
        }
        suite.step(fault.name() + ": " + sent.size() + " requests sent; waiting for metering");
        Map<String, StreamSummary> items = awaitLineItems(sent);
        Map<String, SpendAggregate> spend = awaitStableSpend();
        var ledger = Accounting.ledger(stack.body(stack.simulatorUrl() + "/_sim/ledger"));
        Row row =
                Accounting.compare(
                        fault.name(),
                        fault.relayFault(),
                        (proven ? "" : "NOT PROVEN: ") + proof,
                        sent,
                        ledger,
                        items,
                        spend,
                        FaultsMain.alerts(stack));
        suite.step(
                fault.name() + ": lost " + row.lost() + ", double-counted " + row.doubleCounted());
        return row;
    }

    /**
     * A process that died without being told to (metering giving up during a long broker outage,
     * say) is a finding: noted as UNEXPECTED, which fails the run, and restarted so that metering
     * can still account for what did arrive and the next scenario starts whole.
     */
    private void reviveTheDead() throws IOException, InterruptedException {
        for (Proc proc : List.of(stack.broker, stack.simulator, stack.metering, stack.relay)) {
            if (proc.alive()) {
                continue;
            }
            int exit = proc.awaitExit(Duration.ZERO);
            note(
                    "UNEXPECTED: "
                            + proc.name()
                            + " exited on its own (exit "
                            + exit
                            + "); restarted");
            suite.step(fault.name() + ": " + proc.name() + " died on its own; restarting it");
            if (proc == stack.broker) {
                stack.startBroker();
            } else if (proc == stack.metering) {
                stack.startMetering();
            } else if (proc == stack.relay) {
                stack.startRelay();
            } else {
                proc.start("simulator listening", Duration.ofSeconds(120));
            }
        }
    }

    private void inject(FaultLoad load) throws Exception {
        switch (fault.kind()) {
            case BROKER_STOP, SPOOL_FULL -> brokerStop();
            case BROKER_FREEZE -> brokerFreeze();
            case METERING_KILL -> meteringKill();
            case RELAY_TERM -> relayDown(load, "TERM");
            case RELAY_KILL -> relayDown(load, "KILL");
        }
    }

    private void brokerStop() throws Exception {
        suite.step(fault.name() + ": broker SIGTERM for " + fault.outage().toSeconds() + " s");
        stack.broker.signal("TERM");
        int exit = stack.broker.awaitExit(Duration.ofSeconds(60));
        Instant down = Instant.now();
        note("broker SIGTERM, exit " + exit);
        if (exit < 0) {
            proven = false;
        }
        observeOutage(down, true);
        stack.startBroker();
        note("restarted on the same data");
    }

    private void brokerFreeze() throws Exception {
        suite.step(fault.name() + ": broker SIGSTOP for " + fault.outage().toSeconds() + " s");
        stack.broker.signal("STOP");
        Instant down = Instant.now();
        Thread.sleep(200);
        String state = stack.broker.state();
        note("broker SIGSTOP, /proc state " + state);
        if (!state.equals("T")) {
            proven = false;
        }
        observeOutage(down, false);
        stack.broker.signal("CONT");
        note("SIGCONT");
    }

    /** Probes once a second until the outage is over: broker port and relay readiness. */
    private void observeOutage(Instant down, boolean expectRefused) throws InterruptedException {
        int probes = 0;
        int refused = 0;
        int notReady = 0;
        Instant until = down.plus(fault.outage());
        while (Instant.now().isBefore(until)) {
            probes++;
            if (Stack.refused(stack.brokerPort)) {
                refused++;
            }
            if (stack.status(stack.relayUrl() + "/readyz") != 200) {
                notReady++;
            }
            Thread.sleep(1_000);
        }
        note(
                "over "
                        + fault.outage().toSeconds()
                        + " s: broker port refused "
                        + refused
                        + "/"
                        + probes
                        + ", relay /readyz not 200 "
                        + notReady
                        + "/"
                        + probes);
        if (expectRefused ? refused == 0 : notReady == 0) {
            proven = false;
        }
    }

    private void meteringKill() throws Exception {
        suite.step(fault.name() + ": metering kill -9");
        if (!stack.metering.alive()) {
            proven = false;
            note("metering was not running when it was to be killed");
            return;
        }
        stack.metering.signal("KILL");
        int exit = stack.metering.awaitExit(Duration.ofSeconds(30));
        boolean refused = Stack.refused(stack.meteringPort);
        note("metering kill -9, exit " + exit + ", query port refused " + refused);
        proven &= exit == 137 && refused;
        Thread.sleep(fault.outage().toMillis());
        Instant restart = Instant.now();
        stack.startMetering();
        note(
                "restarted on the same state, ready in "
                        + Duration.between(restart, Instant.now()).toSeconds()
                        + " s");
    }

    private void relayDown(FaultLoad load, String signal) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (load.inFlight() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        int inFlight = load.inFlight();
        suite.step(
                fault.name() + ": relay SIG" + signal + " with " + inFlight + " streams in flight");
        if (!stack.relay.alive()) {
            proven = false;
            note("the relay was not running when it was to be signalled");
            return;
        }
        stack.relay.signal(signal);
        int exit = stack.relay.awaitExit(Duration.ofSeconds(60));
        boolean refused = Stack.refused(stack.relayPort);
        note(
                "relay SIG"
                        + signal
                        + " with "
                        + inFlight
                        + " in flight, exit "
                        + exit
                        + ", relay port refused "
                        + refused);
        proven &= inFlight > 0 && exit >= 0 && refused;
        Thread.sleep(fault.outage().toMillis());
        stack.startRelay();
        note("restarted" + (options.relaySettings().isEmpty() ? "" : " on the same spool"));
    }

    /** Restarts the relay with these scenario settings on top of the suite's. */
    private void restartRelay(Map<String, String> extra, boolean spool)
            throws IOException, InterruptedException, SpoolUnavailable {
        stack.relay.stop();
        Map<String, String> settings = new LinkedHashMap<>(options.relaySettings());
        settings.putAll(extra);
        stack.relay = stack.relayProc(settings);
        try {
            stack.startRelay();
        } catch (IllegalStateException e) {
            if (!spool) {
                throw e;
            }
            stack.relay = stack.relayProc(options.relaySettings());
            stack.startRelay();
            throw new SpoolUnavailable(
                    "the relay refused " + extra.keySet() + ": " + e.getMessage());
        }
    }

    /** Until every request with a stream id has a line item, or the orphan timeout has passed. */
    private Map<String, StreamSummary> awaitLineItems(List<Sent> sent) throws InterruptedException {
        Instant deadline = Instant.now().plus(orphanTimeout).plusSeconds(45);
        Map<String, StreamSummary> items = FaultsMain.summaries(stack);
        while (!Accounting.settled(sent, items) && Instant.now().isBefore(deadline)) {
            Thread.sleep(2_000);
            items = FaultsMain.summaries(stack);
        }
        return items;
    }

    /** Until two reads of the hourly spend, 3 s apart, agree (at most 30 s). */
    private Map<String, SpendAggregate> awaitStableSpend() throws InterruptedException {
        Map<String, SpendAggregate> before = FaultsMain.spend(stack);
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(3_000);
            Map<String, SpendAggregate> now = FaultsMain.spend(stack);
            if (now.equals(before)) {
                return now;
            }
            before = now;
        }
        return before;
    }

    private void note(String text) {
        if (proof.length() > 0) {
            proof.append("; ");
        }
        proof.append(text);
    }
}
