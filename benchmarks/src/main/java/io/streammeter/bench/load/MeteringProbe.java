package io.streammeter.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches metering from outside while a window runs, once a second: its end-to-spend timer from
 * {@code /metrics} (the rolling p50/p99 Micrometer publishes, and the mean of the window from the
 * count and sum) and its consumer group's lag (end offsets minus committed offsets over every
 * partition the group consumes). Independent of what the relay's records look like.
 */
final class MeteringProbe implements AutoCloseable {
    private static final Pattern QUANTILE =
            Pattern.compile(
                    "^metering_end_to_spend_seconds\\{[^}]*quantile=\"([0-9.]+)\"[^}]*\\}\\s+(\\S+)",
                    Pattern.MULTILINE);
    private static final Pattern COUNT =
            Pattern.compile(
                    "^metering_end_to_spend_seconds_count(?:\\{[^}]*\\})?\\s+(\\S+)",
                    Pattern.MULTILINE);
    private static final Pattern SUM =
            Pattern.compile(
                    "^metering_end_to_spend_seconds_sum(?:\\{[^}]*\\})?\\s+(\\S+)",
                    Pattern.MULTILINE);

    private final URI metrics;
    private final String token;
    private final String group;
    private final Admin admin;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Thread sampler;
    private volatile boolean sampling;
    private Window current;

    /**
     * @param token bearer token for metering's {@code /metrics} (streammeter local protects it with
     *     its admin token), or null
     */
    MeteringProbe(String metricsUrl, String token, String bootstrap, String group) {
        this.metrics = metricsUrl == null || metricsUrl.isBlank() ? null : URI.create(metricsUrl);
        this.token = token;
        this.group = group;
        if (bootstrap == null || bootstrap.isBlank()) {
            this.admin = null;
        } else {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            this.admin = Admin.create(props);
        }
    }

    /** What metering did during one window. */
    static final class Window {
        double p50Max = Double.NaN;
        double p99Max = Double.NaN;
        double countBefore = Double.NaN;
        double sumBefore = Double.NaN;
        double countAfter = Double.NaN;
        double sumAfter = Double.NaN;
        long lagMax = -1;
        long lagEnd = -1;

        String endToSpend() {
            if (Double.isNaN(p99Max)) {
                return "n/a";
            }
            double n = countAfter - countBefore;
            String mean =
                    n > 0
                            ? String.format(Locale.ROOT, " (mean %.3f)", (sumAfter - sumBefore) / n)
                            : "";
            return String.format(Locale.ROOT, "%.3f / %.3f%s", p50Max, p99Max, mean);
        }

        String lag() {
            return lagMax < 0 ? "n/a" : lagMax + " / " + lagEnd;
        }
    }

    synchronized void start() {
        current = new Window();
        double[] counters = counters();
        current.countBefore = counters[0];
        current.sumBefore = counters[1];
        sampling = true;
        Window window = current;
        sampler =
                new Thread(
                        () -> {
                            while (sampling) {
                                sample(window);
                                try {
                                    Thread.sleep(1_000); // a sampling period, not synchronisation
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "metering-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    synchronized Window stop() throws InterruptedException {
        sampling = false;
        sampler.interrupt();
        sampler.join(10_000);
        Window window = current;
        sample(window);
        window.lagEnd = lag();
        double[] counters = counters();
        window.countAfter = counters[0];
        window.sumAfter = counters[1];
        return window;
    }

    private void sample(Window window) {
        String page = page();
        if (page != null) {
            double[] q = quantiles(page);
            window.p50Max = max(window.p50Max, q[0]);
            window.p99Max = max(window.p99Max, q[1]);
        }
        long lag = lag();
        if (lag >= 0) {
            window.lagMax = Math.max(window.lagMax, lag);
        }
    }

    /** The p50 and p99 of metering's end-to-spend timer on a Prometheus page; NaN when absent. */
    static double[] quantiles(String page) {
        double[] q = {Double.NaN, Double.NaN};
        Matcher m = QUANTILE.matcher(page);
        while (m.find()) {
            double v = parse(m.group(2));
            if (m.group(1).equals("0.5")) {
                q[0] = v;
            } else if (m.group(1).equals("0.99")) {
                q[1] = v;
            }
        }
        return q;
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private double[] counters() {
        String page = page();
        if (page == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {first(COUNT, page), first(SUM, page)};
    }

    private static double first(Pattern pattern, String page) {
        Matcher m = pattern.matcher(page);
        return m.find() ? parse(m.group(1)) : Double.NaN;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private String page() {
        if (metrics == null) {
            return null;
        }
        try {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(3));
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            HttpRequest request = builder.build();
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Records the group has yet to consume, over every partition it has committed; -1 unknown. */
    long lag() {
        if (admin == null) {
            return -1;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(5, TimeUnit.SECONDS);
            if (committed.isEmpty()) {
                return -1;
            }
            Map<TopicPartition, OffsetSpec> latest =
                    committed.keySet().stream()
                            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : committed.entrySet()) {
                if (e.getValue() == null || !ends.containsKey(e.getKey())) {
                    continue;
                }
                lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
            }
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
