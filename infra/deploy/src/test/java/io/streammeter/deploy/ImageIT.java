package io.streammeter.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball Jib built in {@code package}: its configuration and layers, then the image
 * itself run the way a container runtime would (its layers unpacked, {@code chroot} into them as
 * the image's user, its entry point), which needs root and {@code unshare}; without them the run is
 * skipped and the static checks still hold.
 */
@ExtendWith(KafkaExtension.class)
class ImageIT {
    static final Path TARBALL = Path.of("target", "streammeter-image.tar");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path work;
    static JsonNode config;
    static List<String> layers;

    @BeforeAll
    static void unpackTarball() throws Exception {
        assertTrue(Files.isRegularFile(TARBALL), "mvn package builds " + TARBALL);
        run(work, "tar", "-xf", TARBALL.toAbsolutePath().toString());
        JsonNode manifest = JSON.readTree(work.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(work.resolve(manifest.get("Config").asText()).toFile());
        layers = new ArrayList<>();
        manifest.get("Layers").forEach(layer -> layers.add(layer.asText()));
    }

    @Test
    void shouldRunTheStreammeterCommandAsANonRootUser() {
        JsonNode c = config.get("config");
        assertEquals(
                List.of(
                        "/opt/java/bin/java",
                        "-cp",
                        "@/app/jib-classpath-file",
                        "io.streammeter.local.StreammeterCli"),
                strings(c.get("Entrypoint")),
                config.toPrettyString());
        assertEquals("10001:10001", c.get("User").asText());
        assertEquals("/var/lib/streammeter", c.get("WorkingDir").asText());
        assertTrue(c.get("Volumes").has("/var/lib/streammeter"), c.toPrettyString());
        assertEquals("amd64", config.get("architecture").asText());
        assertTrue(
                strings(c.get("Env"))
                        .contains(
                                "JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=75"
                                        + " -XX:+ExitOnOutOfMemoryError"),
                c.toPrettyString());
    }

    @Test
    void shouldExposeTheRelayAndQueryPortsAndNameTheProbes() {
        JsonNode c = config.get("config");
        assertEquals(
                List.of("8080/tcp", "8081/tcp"),
                iterable(c.get("ExposedPorts").fieldNames()),
                c.toPrettyString());
        assertEquals(
                "GET /healthz", c.get("Labels").get("io.streammeter.health.liveness").asText());
        assertEquals(
                "GET /readyz", c.get("Labels").get("io.streammeter.health.readiness").asText());
    }

    @Test
    void shouldLayerDependenciesApartFromTheProjectAndTheRuntime() throws Exception {
        assertEquals(6, layers.size(), "layers: " + layers);
        String thirdParty = listing(layers.get(0));
        String project = listing(layers.get(1));
        String runtime = listing(layers.get(layers.size() - 1));
        assertTrue(thirdParty.contains("app/libs/kafka-clients-"), thirdParty);
        assertTrue(!thirdParty.contains("streammeter-"), "snapshots change often: own layer");
        assertTrue(project.contains("app/libs/streammeter-relay-"), project);
        assertTrue(project.contains("app/libs/streammeter-metering-"), project);
        assertTrue(runtime.contains("-rwxr-xr-x 0/0"), runtime);
        assertTrue(runtime.lines().anyMatch(l -> l.matches("-rwxr-xr-x .* opt/java/bin/java")));
        assertTrue(runtime.contains(" lib64/ld-linux-x86-64.so.2"), runtime);
        assertTrue(runtime.lines().anyMatch(l -> l.matches("drwxrwxrwx .* tmp/")), runtime);
    }

    @Test
    void shouldStartFromTheUnpackedImageAndReachKafka(TestKafka kafka) throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "running the image's filesystem needs root and unshare");
        Path root = Files.createDirectories(work.resolve("rootfs"));
        for (String layer : layers) {
            run(
                    root,
                    "tar",
                    "--warning=no-unknown-keyword",
                    "-xzf",
                    work.resolve(layer).toString());
        }
        Files.createDirectories(root.resolve("proc"));
        String prefix = "image" + System.nanoTime() % 100_000 + ".";

        String out =
                runImage(
                        root,
                        "topics",
                        "--bootstrap",
                        kafka.bootstrapServers(),
                        "--topic-prefix",
                        prefix);

        assertTrue(out.contains("created  " + prefix + "stream-events"), out);
        assertTrue(kafka.admin().listTopics().names().get().contains(prefix + "stream-events"));
    }

    /** The image's entry point with these arguments, as its user, inside its own filesystem. */
    private static String runImage(Path root, String... args) throws Exception {
        List<String> entrypoint = strings(config.get("config").get("Entrypoint"));
        String user = config.get("config").get("User").asText();
        StringBuilder command =
                new StringBuilder("mount -t proc proc '" + root + "/proc' && exec chroot")
                        .append(" --userspec=")
                        .append(user)
                        .append(" '")
                        .append(root)
                        .append("'");
        for (String arg : entrypoint) {
            command.append(" '").append(arg).append("'");
        }
        for (String arg : args) {
            command.append(" '").append(arg).append("'");
        }
        return run(root, "unshare", "--mount", "--pid", "--fork", "sh", "-c", command.toString());
    }

    private static String listing(String layer) throws Exception {
        return run(
                work,
                "tar",
                "--warning=no-unknown-keyword",
                "-tvzf",
                work.resolve(layer).toString());
    }

    private static String run(Path dir, String... command)
            throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "still running: " + List.of(command));
        assertEquals(0, process.exitValue(), List.of(command) + " failed:\n" + output);
        return output;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> values = new ArrayList<>();
        names.forEachRemaining(values::add);
        return values;
    }
}
