package io.tcplens.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine never sees JavaFX; nothing but the sources imports OSHI. */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tcplens");

    @Test
    void onlyUiAndAppUseJavaFx() {
        noClasses().that().resideOutsideOfPackages("io.tcplens.ui..", "io.tcplens.app..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "eu.hansolo..", "org.controlsfx..", "atlantafx..")
                .because("the engine, analysis, exporters and CLI are plain Java, testable without a toolkit")
                .check(MAIN);
    }

    @Test
    void onlySourcesUseOshi() {
        noClasses().that().resideOutsideOfPackages("io.tcplens.source..")
                .should().dependOnClassesThat().resideInAnyPackage("oshi..")
                .because("each source maps native names to our own model")
                .check(MAIN);
    }
}
