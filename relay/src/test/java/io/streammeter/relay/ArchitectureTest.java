package io.streammeter.relay;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The relay's architecture, as rules: {@code http → stream → {shape, sse, publish, upstream}} with
 * no way back; {@code auth}, {@code config} and {@code metrics} below them all; no package cycles;
 * the API-shape and SSE code free of Kafka and of Vert.x beyond its data types.
 */
class ArchitectureTest {
    private static final JavaClasses RELAY =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.streammeter.relay");

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("io.streammeter.relay.(*)..").should().beFreeOfCycles().check(RELAY);
    }

    @Test
    void shouldLayerHttpOverStreamOverItsParts() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("http")
                .definedBy("io.streammeter.relay.http..")
                .layer("stream")
                .definedBy("io.streammeter.relay.stream..")
                .layer("parts")
                .definedBy(
                        "io.streammeter.relay.shape..",
                        "io.streammeter.relay.sse..",
                        "io.streammeter.relay.publish..",
                        "io.streammeter.relay.upstream..",
                        "io.streammeter.relay.keys..")
                .layer("base")
                .definedBy(
                        "io.streammeter.relay.auth..",
                        "io.streammeter.relay.config..",
                        "io.streammeter.relay.metrics..")
                .whereLayer("http")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("stream")
                .mayOnlyBeAccessedByLayers("http")
                .whereLayer("parts")
                .mayOnlyBeAccessedByLayers("http", "stream")
                .whereLayer("base")
                .mayOnlyBeAccessedByLayers("http", "stream", "parts")
                .check(RELAY);
    }

    /**
     * One shape, one place: each API shape's package ({@code shape.openai}, {@code
     * shape.anthropic}, ...) uses only the shared code in {@code shape}, never another shape, and
     * the shared code names no shape.
     */
    @Test
    void shouldKeepEachShapeInItsOwnPackageOnTheSharedCode() {
        slices().matching("io.streammeter.relay.shape.(*)..")
                .should()
                .notDependOnEachOther()
                .check(RELAY);
        noClasses()
                .that()
                .resideInAPackage("io.streammeter.relay.shape")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.streammeter.relay.shape.*..")
                .check(RELAY);
    }

    @Test
    void shouldNeverDependOnMetering() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.streammeter.metering..")
                .check(RELAY);
    }

    @Test
    void shouldKeepShapesAndSseFreeOfKafkaAndOfVertxBeyondItsDataTypes() {
        noClasses()
                .that()
                .resideInAnyPackage("io.streammeter.relay.shape..", "io.streammeter.relay.sse..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.streammeter.relay.publish..")
                .orShould()
                .dependOnClassesThat(
                        resideInAPackage("io.vertx..")
                                .and(
                                        not(
                                                belongToAnyOf(
                                                        Buffer.class,
                                                        MultiMap.class,
                                                        Handler.class))))
                .check(RELAY);
    }
}
