package io.streammeter.bench.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four processes of a fault run, each its own JVM started with the {@code streammeter} command:
 * broker, simulator (with its ledger), metering and relay, on free loopback ports with their data
 * under one work directory, so a restart reuses the broker's log, metering's state and the relay's
 * spool.
 */
final class Stack implements AutoCloseable {
    static final String PEPPER = "fault-suite-pepper-not-a-secret";
    static final String PREFIX = "faults.";
    private static final Duration READY = Duration.ofSeconds(120);

    private final Path jar;
    private final Path work;
    private final Settings settings;
    final int brokerPort;
    final int simulatorPort;
    final int meteringPort;
    final int relayPort;
    final Proc broker;
    final Proc simulator;
    final Proc metering;
    Proc relay;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param orphanTimeout metering's {@code orphan-timeout}, short so a run settles quickly
     * @param relayExtra extra relay settings ({@code key=value}), such as the spool's
     */
    record Settings(Duration orphanTimeout, Duration gapTimeout, Map<String, String> relayExtra) {}

    Stack(Path jar, Path work, Settings settings) throws IOException {
        this.jar = jar;
        this.work = work;
        this.settings = settings;
        brokerPort = freePortPair();
        simulatorPort = freePort();
        meteringPort = freePort();
        relayPort = freePort();
        broker =
                new Proc(
                        "broker",
                        java(
                                "-Xmx512m",
                                "broker",
                                "--data-dir=" + work.resolve("broker"),
                                "--port=" + brokerPort,
                                "--topic-prefix=" + PREFIX),
                        work.resolve("logs/broker.log"));
        simulator =
                new Proc(
                        "simulator",
                        java(
                                "-Xmx384m",
                                "simulator",
                                "--port",
                                Integer.toString(simulatorPort),
                                "--event-loops",
                                "1",
                                "--ledger",
                                "true"),
                        work.resolve("logs/simulator.log"));
        metering =
                new Proc(
                        "metering",
                        java(
                                "-Xmx512m",
                                "metering",
                                "--bootstrap=" + bootstrap(),
                                "--topic-prefix=" + PREFIX,
                                "--state-dir=" + work.resolve("metering-state"),
                                "--query-host=127.0.0.1",
                                "--query-port=" + meteringPort,
                                // The suite reads Kafka, and only metering's open /readyz.
                                "--auth.mode=none",
                                "--orphan-timeout=" + settings.orphanTimeout().toSeconds() + "s",
                                "--gap-timeout=" + settings.gapTimeout().toSeconds() + "s",
                                "--kafka.commit.interval.ms=1000"),
                        work.resolve("logs/metering.log"));
        relay = relayProc(settings.relayExtra());
    }

    /** A relay process with these extra settings (the same ports, pepper and Kafka). */
    Proc relayProc(Map<String, String> extra) {
        List<String> args = new ArrayList<>();
        args.add("-Xmx384m");
        args.add("relay");
        args.add("--bootstrap=" + bootstrap());
        args.add("--listen.host=127.0.0.1");
        args.add("--listen.port=" + relayPort);
        args.add("--upstream.name=simulator");
        args.add("--upstream.base-url=http://127.0.0.1:" + simulatorPort + "/v1");
        args.add("--key-id.pepper=" + PEPPER);
        args.add("--kafka.topic-prefix=" + PREFIX);
        args.add("--relay.instance-id=relay-faults");
        // Short, so a SIGTERM really cuts streams mid-way (the long ones last 2 s).
        args.add("--shutdown.grace=1s");
        args.add("--metrics.auth=none"); // loopback only; the suite scrapes /metrics
        extra.forEach((k, v) -> args.add("--" + k + "=" + v.replace("${work}", work.toString())));
        return new Proc("relay", java(args.toArray(String[]::new)), work.resolve("logs/relay.log"));
    }

    String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    URI relayUrl() {
        return URI.create("http://127.0.0.1:" + relayPort);
    }

    URI simulatorUrl() {
        return URI.create("http://127.0.0.1:" + simulatorPort);
    }

    void startAll() throws IOException, InterruptedException {
        startBroker();
        simulator.start("simulator listening", READY);
        startMetering();
        startRelay();
    }

    void startBroker() throws IOException, InterruptedException {
        broker.start("broker ready", READY);
    }

    void startMetering() throws IOException, InterruptedException {
        metering.start("Metering started", READY);
        awaitHttp("metering /readyz", "http://127.0.0.1:" + meteringPort + "/readyz", READY);
    }

    void startRelay() throws IOException, InterruptedException {
        relay.start("relay listening", READY);
        awaitHttp("relay /readyz", relayUrl() + "/readyz", READY);
    }

    /** The HTTP status of a GET, or -1 when the connection failed (refused, timed out). */
    int status(String url) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String body(String url) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Whether a TCP connection to this loopback port is refused (nothing listens). */
    static boolean refused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            return false; // a timeout is not a refusal (a frozen process still listens)
        }
    }

    private void awaitHttp(String what, String url, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (status(url) == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(what + " not 200 within " + limit);
    }

    private List<String> java(String heap, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    private List<String> java(String[] heapAndArgs) {
        return java(
                heapAndArgs[0], java.util.Arrays.copyOfRange(heapAndArgs, 1, heapAndArgs.length));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose successor is free too: the broker's controller takes port + 1. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port = freePort();
            if (port < 65_535 && !inUse(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two consecutive free ports found");
    }

    private static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public synchronized void close() {
        // Newest first: the relay flushes to a broker that still runs.
        relay.stop();
        metering.stop();
        simulator.stop();
        broker.stop();
    }
}
