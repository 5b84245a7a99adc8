package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationDocsTest {
    /** The tests run in infra/local; the document is the repository's. */
    private static final Path DOC = Path.of("..", "..").resolve(ConfigurationDocs.FILE);

    @Test
    void shouldMatchTheConfigDefs() throws Exception {
        String expected = ConfigurationDocs.render();
        if (Boolean.getBoolean("config.docs.write")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";

        assertEquals(
                expected,
                actual,
                "docs/configuration.md is stale: regenerate it with ./mvnw -B -pl infra/local -am"
                        + " test -Dtest=ConfigurationDocsTest -Dconfig.docs.write=true"
                        + " -Dsurefire.failIfNoSpecifiedTests=false (or run"
                        + " io.streammeter.local.ConfigurationDocs from the repository root)");
    }
}
