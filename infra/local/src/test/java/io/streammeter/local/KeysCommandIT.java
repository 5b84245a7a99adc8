package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code streammeter keys}: create prints the raw key once; list, show, set and revoke follow. */
@ExtendWith(KafkaExtension.class)
class KeysCommandIT {
    private static final String PEPPER = "keys-command-pepper-0123456789";

    @Test
    void shouldCreateListSetAndRevokeAKeyWithoutStoringTheRawKey(TestKafka kafka, @TempDir Path dir)
            throws Exception {
        Path pepper = dir.resolve("pepper");
        Files.writeString(pepper, PEPPER);
        String prefix = kafka.newCatalog("cli-keys").prefix();
        String[] kafkaArgs = {"--bootstrap", kafka.bootstrapServers(), "--topic-prefix", prefix};

        CliRun created =
                CliRun.of(
                        concat(
                                new String[] {"keys", "create", "--customer", "acme"},
                                kafkaArgs,
                                new String[] {
                                    "--pepper-file", pepper.toString(),
                                    "--credential", "openai-main",
                                    "--model", "gpt-4o*",
                                    "--budget-usd", "25.50",
                                    "--budget-period", "day",
                                    "--tag", "team=search"
                                }));
        assertEquals(0, created.exitCode(), created.toString());
        String raw = created.out().strip();
        assertTrue(raw.startsWith("sk-sm-"), created.toString());
        String keyId = KeyIds.derive(PEPPER, raw);
        assertTrue(created.err().contains("created " + keyId), created.toString());

        CliRun list = CliRun.of(concat(new String[] {"keys", "list"}, kafkaArgs));
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(
                list.out().contains(keyId + "\tacme\tactive\topenai-main\tgpt-4o*\t25.500000\tday"),
                list.toString());
        assertFalse(list.out().contains(raw), "the raw key is stored nowhere");

        CliRun set =
                CliRun.of(concat(new String[] {"keys", "set", keyId, "--rpm", "60"}, kafkaArgs));
        assertEquals(0, set.exitCode(), set.toString());
        CliRun negative =
                CliRun.of(
                        concat(
                                new String[] {"keys", "set", keyId, "--budget-usd", "-1"},
                                kafkaArgs));
        assertEquals(StreammeterCli.EXIT_USAGE, negative.exitCode(), negative.toString());
        // The same words as the admin API's 400 (KeyAdminIT): one validation for both.
        assertTrue(negative.err().contains("budget_usd must not be negative"), negative.toString());
        CliRun revoke = CliRun.of(concat(new String[] {"keys", "revoke", keyId}, kafkaArgs));
        assertEquals(0, revoke.exitCode(), revoke.toString());

        CliRun show = CliRun.of(concat(new String[] {"keys", "show", keyId}, kafkaArgs));
        assertEquals(0, show.exitCode(), show.toString());
        assertTrue(show.out().contains("\"status\": \"REVOKED\""), show.toString());
        assertTrue(show.out().contains("\"requestsPerMinute\": 60"), show.toString());
        assertFalse(show.out().contains(raw), show.toString());

        CliRun missing = CliRun.of(concat(new String[] {"keys", "show", "k_nope"}, kafkaArgs));
        assertEquals(StreammeterCli.EXIT_USAGE, missing.exitCode(), missing.toString());
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts)
                .flatMap(java.util.Arrays::stream)
                .toArray(String[]::new);
    }
}
