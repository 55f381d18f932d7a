package io.tcplens.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the bytecode: the layers, no package
 * cycles, JavaFX only in the window, OSHI only in the sources.
 */
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

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.tcplens.(*)..").should().beFreeOfCycles()
                .because("a package that depends on one that depends back on it cannot be read, tested or replaced"
                        + " on its own; docs/architecture.md gives the order")
                .check(MAIN);
    }

    /** Every package, sub-packages included (the window's feature packages and its shell too). */
    @Test
    void subPackagesAreFreeOfCycles() {
        slices().matching("io.tcplens.(**)").should().beFreeOfCycles()
                .because("a sub-package cycle is a hidden knot inside a layer: neither side can change alone")
                .check(MAIN);
    }

    /** The table in docs/architecture.md: each layer may use only the layers listed for it. */
    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Common").definedBy("io.tcplens.common..", "io.tcplens.io..")
                .layer("Model").definedBy("io.tcplens.model..")
                .layer("Source").definedBy("io.tcplens.source..")
                .layer("Engine").definedBy("io.tcplens.engine..")
                .layer("Analysis").definedBy("io.tcplens.analysis..")
                .layer("Diagram").definedBy("io.tcplens.diagram..")
                .layer("Lab").definedBy("io.tcplens.lab..")
                .layer("Export").definedBy("io.tcplens.export..")
                .layer("Cli").definedBy("io.tcplens.cli..")
                .layer("Ui").definedBy("io.tcplens.ui..")
                .layer("App").definedBy("io.tcplens.app..")
                .whereLayer("Common").mayNotAccessAnyLayer()
                .whereLayer("Model").mayOnlyAccessLayers("Common")
                .whereLayer("Source").mayOnlyAccessLayers("Model", "Common")
                .whereLayer("Engine").mayOnlyAccessLayers("Source", "Model", "Common")
                .whereLayer("Analysis").mayOnlyAccessLayers("Engine", "Source", "Model", "Common")
                .whereLayer("Diagram").mayOnlyAccessLayers("Engine", "Source", "Model", "Common")
                .whereLayer("Lab").mayOnlyAccessLayers("Analysis", "Engine", "Source", "Model", "Common")
                .whereLayer("Export").mayOnlyAccessLayers("Analysis", "Engine", "Source", "Model", "Common")
                .whereLayer("Cli").mayOnlyAccessLayers("Export", "Lab", "Diagram", "Analysis", "Engine", "Source",
                        "Model", "Common")
                .whereLayer("Ui").mayOnlyAccessLayers("Export", "Lab", "Diagram", "Analysis", "Engine", "Source",
                        "Model", "Common")
                .whereLayer("App").mayOnlyAccessLayers("Cli", "Ui", "Export", "Lab", "Diagram", "Analysis", "Engine", "Source", "Model", "Common")
                .because("CONTRIBUTING's chain model → source → engine → analysis → lab/diagram → export/cli/ui,"
                        + " with the composition root (app) on top, is what a reader relies on")
                .check(MAIN);
    }
}
