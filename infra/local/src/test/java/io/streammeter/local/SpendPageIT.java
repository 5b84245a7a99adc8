package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spend page in a real browser: headless Chromium (Debian's {@code chromium} package, driven
 * through its command line) loads {@code /ui/} from a local stack with simulated traffic, and every
 * figure it shows (top keys, a key's models and line items, live in-flight exposure, the rate
 * windows) must equal the query API's JSON. Screenshots go to {@code target/screenshots/}. Without
 * chromium the test fails in CI ({@code CI=true}) and is skipped elsewhere.
 */
@ExtendWith(KafkaExtension.class)
class SpendPageIT {
    static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW =
            Pattern.compile(
                    "<tr data-(?:key|stream|model)=\"([^\"]+)\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL =
            Pattern.compile("<td class=\"([^\"]*)\"[^>]*>(.*?)</td>", Pattern.DOTALL);

    @TempDir static Path dataDir;
    @TempDir static Path profile;
    private static LocalStack stack;
    private static Traffic traffic;
    private final HttpClient http = HttpClient.newHttpClient();

    static LocalStack.Options options(Path dataDir, TestKafka kafka, String name) {
        return new LocalStack.Options(
                dataDir,
                kafka.bootstrapServers(),
                0,
                0,
                0,
                0,
                null,
                null,
                null,
                kafka.newCatalog(name).prefix(),
                null,
                1);
    }

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        if (chromium() == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(
                        "chromium is not installed: CI needs it for the spend page test (.ci/run installs"
                                + " it with apt-get install -y chromium)");
            }
            Assumptions.abort("chromium is not installed: spend page test skipped (CI runs it)");
        }
        stack = LocalStack.start(options(dataDir, kafka, "page"));
        traffic = new Traffic(stack.relayUrl()).sendMix();
    }

    @AfterAll
    static void stop() throws Exception {
        if (traffic != null) {
            traffic.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldShowTheQueryApisFiguresInABrowser() throws Exception {
        String range = "from=" + today() + "&to=" + today().plusDays(1);
        // Wait for the API to have settled: the five ended streams' line items of both keys, and
        // the two held streams' in-flight figures the same on two polls in a row.
        String[] lastLive = {""};
        JsonNode top =
                await("line items and in-flight settled")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () -> {
                                    JsonNode t = api("/v1/spend/top?limit=10&" + range);
                                    return lineItems(keyId(Traffic.KEY_A)) == 3
                                                    && lineItems(keyId(Traffic.KEY_B)) == 2
                                                    && stableInFlight(lastLive)
                                            ? t
                                            : null;
                                },
                                Objects::nonNull);
        JsonNode live = api("/v1/in-flight");
        String topKey = top.path("keys").path(0).path("key_id").asText();
        JsonNode items = api("/v1/keys/" + topKey + "/line-items?limit=50");
        JsonNode models = api("/v1/spend?key_id=" + topKey + "&granularity=hour&" + range);
        JsonNode rate = api("/v1/missing-usage/rate");

        String page =
                stack.apiUrl() + "/ui/?" + range + "&granularity=hour#token=" + stack.adminToken();
        String dom = dumpDom(page);
        assertTrue(
                dom.contains("data-state=\"ready\""),
                "the page loaded every view: " + excerpt(dom));
        assertTrue(dom.contains("data-key=\"" + topKey + "\""), "the top key is selected");

        Map<String, Map<String, String>> topRows = rows(section(dom, "top-keys"));
        assertEquals(top.path("keys").size(), topRows.size(), section(dom, "top-keys"));
        for (JsonNode k : top.path("keys")) {
            Map<String, String> row = topRows.get(k.path("key_id").asText());
            assertEquals(
                    k.path("spend").path("cost_usd").asText(), row.get("cost"), "cost of " + k);
            assertEquals(k.path("spend").path("requests").asText(), row.get("requests"));
            assertEquals(
                    k.path("spend").path("streams_missing_usage").asText(), row.get("missing"));
        }

        Map<String, Map<String, String>> itemRows = rows(section(dom, "line-items"));
        List<String> apiOrder = new ArrayList<>();
        for (JsonNode item : items.path("line_items")) {
            String id = item.path("stream_id").asText();
            apiOrder.add(id);
            Map<String, String> row = itemRows.get(id);
            assertEquals(text(item.path("cost_usd")), row.get("cost"), "cost of " + id);
            assertEquals(item.path("outcome").asText(), row.get("outcome"));
            assertEquals(item.path("usage_source").asText(), row.get("source"));
            assertEquals(text(item.path("missing_usage_reason")), row.get("reason"));
        }
        assertEquals(apiOrder, new ArrayList<>(itemRows.keySet()), "newest first, as the API");
        assertFalse(apiOrder.isEmpty());

        Map<String, Map<String, String>> modelRows = rows(section(dom, "spend-models"));
        for (JsonNode m : models.path("models")) {
            assertEquals(
                    m.path("spend").path("cost_usd").asText(),
                    modelRows.get(m.path("model").asText()).get("cost"));
        }

        String inflight = section(dom, "inflight");
        assertTrue(
                inflight.contains(
                        "data-figure=\"inflight-cost\">" + live.path("cost_usd").asText() + "<"),
                live + " vs " + inflight);
        assertTrue(
                inflight.contains(
                        "data-figure=\"inflight-streams\">" + live.path("streams").asText() + "<"));
        Map<String, Map<String, String>> liveRows = rows(inflight);
        for (JsonNode k : live.path("keys")) {
            Map<String, String> row = liveRows.get(k.path("key_id").asText());
            assertEquals(k.path("cost_usd").asText(), row.get("cost"));
            assertEquals(k.path("streams").asText(), row.get("streams"));
        }
        assertTrue(
                section(dom, "missing-rate")
                        .contains("data-windows=\"" + rate.path("windows").size() + "\""));
        assertTrue(section(dom, "missing-rate").contains("threshold"), "threshold drawn");

        Path shot = screenshot(page, "spend-page.png");
        assertTrue(Files.size(shot) > 10_000, "a real screenshot: " + shot);
    }

    private int lineItems(String keyId) throws Exception {
        return api("/v1/keys/" + keyId + "/line-items").path("line_items").size();
    }

    private static String keyId(String key) throws Exception {
        return KeyIds.derive(Pepper.load(dataDir), key);
    }

    private boolean stableInFlight(String[] last) throws Exception {
        JsonNode live = api("/v1/in-flight");
        String keys = live.path("keys").toString();
        boolean stable =
                keys.contains(keyId(Traffic.KEY_A))
                        && keys.contains(keyId(Traffic.KEY_B))
                        && keys.equals(last[0]);
        last[0] = keys;
        return stable;
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "–" : value.asText();
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                                .header("Authorization", "Bearer " + stack.adminToken())
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    /** The section's HTML, from its opening tag to its close. */
    static String section(String dom, String id) {
        int start = dom.indexOf("<section id=\"" + id + "\"");
        assertTrue(start >= 0, "section " + id);
        return dom.substring(start, dom.indexOf("</section>", start));
    }

    /** Table rows by their data-key/-stream/-model, each cell by its first class. */
    static Map<String, Map<String, String>> rows(String html) {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            Map<String, String> cells = new LinkedHashMap<>();
            Matcher cell = CELL.matcher(row.group(2));
            while (cell.find()) {
                String[] classes = cell.group(1).split(" ");
                cells.put(
                        classes[classes.length > 1 && classes[0].equals("text") ? 1 : 0],
                        cell.group(2));
            }
            rows.put(row.group(1), cells);
        }
        return rows;
    }

    private static String dumpDom(String url) throws Exception {
        return run(List.of("--dump-dom", url));
    }

    private static Path screenshot(String url, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name);
        run(List.of("--screenshot=" + file, "--window-size=1400,1500", "--hide-scrollbars", url));
        return file;
    }

    /**
     * Runs headless Chromium on the page; the virtual-time budget lets the page's fetches finish
     * before the DOM is dumped or the screenshot taken.
     */
    private static String run(List<String> args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                chromium(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-dev-shm-usage",
                                "--no-first-run",
                                "--user-data-dir=" + profile,
                                "--virtual-time-budget=15000"));
        command.addAll(args);
        Path log = Files.createTempFile(profile, "chromium", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
        return out;
    }

    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            if (DashboardMetricsIT.onPath(name)) {
                return name;
            }
        }
        return null;
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static String excerpt(String dom) {
        return dom.length() > 3000 ? dom.substring(0, 3000) : dom;
    }
}
