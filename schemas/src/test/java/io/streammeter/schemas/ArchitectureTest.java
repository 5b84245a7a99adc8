package io.streammeter.schemas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The contract is the bottom of everything: it depends on nothing else of ours. */
class ArchitectureTest {
    private static final JavaClasses SCHEMAS =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.streammeter.schemas", "io.streammeter.avro");

    @Test
    void shouldDependOnNothingElseOfOurs() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.streammeter.config..",
                        "io.streammeter.kafka..",
                        "io.streammeter.simulator..",
                        "io.streammeter.relay..",
                        "io.streammeter.metering..",
                        "io.streammeter.local..",
                        "io.streammeter.bench..")
                .check(SCHEMAS);
    }

    @Test
    void shouldHaveNoPackageCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("io.streammeter.(*)..")
                .should()
                .beFreeOfCycles()
                .check(SCHEMAS);
    }
}
