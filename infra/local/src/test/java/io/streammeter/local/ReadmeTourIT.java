package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's one-minute tour as written, with bash, curl and {@code bin/streammeter},
 * against a local stack: the commands are read from the README itself, so the two cannot drift.
 * Only the ports are moved to free ones (and the stack found through {@code STREAMMETER_DATA_DIR}),
 * so the test never collides with a stack a developer has running.
 */
@ExtendWith(KafkaExtension.class)
class ReadmeTourIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
    private static final Pattern TOUR =
            Pattern.compile("## A one-minute tour.*?```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir static Path dataDir;
    @TempDir static Path workDir;
    private static LocalStack stack;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        stack =
                LocalStack.start(
                        new LocalStack.Options(
                                dataDir,
                                kafka.bootstrapServers(),
                                0,
                                0,
                                0,
                                0,
                                null,
                                null,
                                null,
                                kafka.newCatalog("tour").prefix(),
                                null,
                                1,
                                1,
                                0));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldRunTheReadmeTourAsWritten() throws Exception {
        String tour = tourScript();
        assertTrue(tour.contains("bin/streammeter export"), tour);
        assertTrue(tour.contains("Authorization: Bearer $TOKEN"), "the tour shows the token");

        // The spend reaches the query API and the export once metering has committed it; a reader
        // of the README runs the commands a few seconds apart, the test runs them again until so.
        Run run =
                await("the tour shows the demo key's spend")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(2))
                        .until(() -> run(tour), Run::spendShown);

        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains(stack.adminToken()), "the tour never prints the token");
        assertTrue(run.output().contains("data: [DONE]"), run.output());
        String csv = Files.readString(workDir.resolve("spend.csv"));
        assertTrue(csv.startsWith("window_start,window_end,key_id,model,requests"), csv);
        assertTrue(csv.contains(",gpt-4o-mini,"), csv);
    }

    private static String tourScript() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = TOUR.matcher(readme);
        assertTrue(m.find(), "README.md has a one-minute tour with a sh block");
        return m.group(1)
                .replace("127.0.0.1:8080", stack.relayUrl().substring("http://".length()))
                .replace("127.0.0.1:8081", stack.apiUrl().substring("http://".length()))
                .replace("127.0.0.1:8082", stack.platformRelayUrl().substring("http://".length()))
                .replace("bin/streammeter", ROOT.resolve("bin/streammeter").toString());
    }

    private static Run run(String script) throws Exception {
        Path file = workDir.resolve("tour.sh");
        Files.writeString(
                file,
                "set -euo pipefail\n" + script + "\necho \"KEY_ID=$KEY_ID\"\n",
                StandardCharsets.UTF_8);
        ProcessBuilder builder =
                new ProcessBuilder(List.of("bash", file.toString()))
                        .directory(workDir.toFile())
                        .redirectErrorStream(true);
        builder.environment().put(DataDir.ENV, dataDir.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the tour ends");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** One run of the tour: its exit code and everything it printed. */
    private record Run(int exitCode, String output) {
        boolean spendShown() {
            Matcher key = Pattern.compile("KEY_ID=(k_[a-z2-7]{24})").matcher(output);
            return exitCode == 0
                    && key.find()
                    && output.contains("\"key_id\":\"" + key.group(1) + "\"")
                    && output.contains("\"buckets\":[{")
                    && output.contains("exported ")
                    && !output.contains("exported 0 rows")
                    && budgetShown();
        }

        /** The platform key was served and its budget shows the $1 a day it was given. */
        private boolean budgetShown() {
            return output.contains("\"object\":\"chat.completion\"")
                    && output.contains(
                            "\"key_budget\":{\"budget_usd\":\"1.000000\",\"period\":\"day\"");
        }
    }
}
