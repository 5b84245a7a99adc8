package io.streammeter.bench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The benchmark packages (infra, jmh, load, topology) lean on each other in one direction. */
class ArchitectureTest {
    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("io.streammeter.bench.(*)..")
                .should()
                .beFreeOfCycles()
                .check(
                        new ClassFileImporter()
                                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                                .importPackages("io.streammeter.bench"));
    }
}
