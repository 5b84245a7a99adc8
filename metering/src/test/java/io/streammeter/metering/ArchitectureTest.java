package io.streammeter.metering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Metering's architecture, as rules: {@code domain} (the fold of a stream, pure) at the bottom,
 * {@code prices} over it, then the topology, query and export; no package cycles; the pure packages
 * free of Kafka and Vert.x.
 */
class ArchitectureTest {
    private static final JavaClasses METERING =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.streammeter.metering");

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("io.streammeter.metering.(*)..")
                .should()
                .beFreeOfCycles()
                .check(METERING);
    }

    @Test
    void shouldKeepDomainAndPricesPure() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.streammeter.metering.domain..", "io.streammeter.metering.prices..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.vertx..")
                .check(METERING);
    }

    @Test
    void shouldBuildDomainOnNothingElseOfMeteringAndPricesOnlyOnDomain() {
        noClasses()
                .that()
                .resideInAPackage("io.streammeter.metering.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.streammeter.metering.prices..",
                        "io.streammeter.metering.topology..",
                        "io.streammeter.metering.query..",
                        "io.streammeter.metering.export..",
                        "io.streammeter.metering.metrics..",
                        "io.streammeter.metering.config..")
                .check(METERING);
        noClasses()
                .that()
                .resideInAPackage("io.streammeter.metering.prices..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.streammeter.metering.topology..",
                        "io.streammeter.metering.query..",
                        "io.streammeter.metering.export..",
                        "io.streammeter.metering.metrics..")
                .check(METERING);
    }

    @Test
    void shouldNeverDependOnTheRelay() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.streammeter.relay..")
                .check(METERING);
    }
}
