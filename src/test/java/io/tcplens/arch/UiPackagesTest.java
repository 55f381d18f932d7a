package io.tcplens.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

/**
 * The window's packages: features depend on the shell, never the reverse, and no two feature
 * packages depend on each other in a circle. The composition root ({@code io.tcplens.app}) is the
 * only place that names every feature.
 */
class UiPackagesTest {
    @Test
    void uiPackagesAreFreeOfCycles() {
        slices().matching("io.tcplens.ui.(*)..")
                .should().beFreeOfCycles()
                .because("a feature (table, charts, diagram, …) is added by registering it in the composition root, "
                        + "not by teaching the shell its name")
                .check(ArchitectureTest.MAIN);
    }

    @Test
    void shellAndThemeKnowNoFeature() {
        noClasses().that().resideInAnyPackage("io.tcplens.ui.shell..", "io.tcplens.ui.theme..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tcplens.ui.charts..", "io.tcplens.ui.diagram..",
                        "io.tcplens.ui.lab..", "io.tcplens.ui.remote..", "io.tcplens.ui.table..", "io.tcplens.ui.tiles..",
                        "io.tcplens.ui.timeline..")
                .because("the shell drives views through ShellTab/Presenter/ConnectionsTarget; features depend on it")
                .check(ArchitectureTest.MAIN);
    }

    @Test
    void themeDependsOnNoOtherUiPackage() {
        noClasses().that().resideInAPackage("io.tcplens.ui.theme..")
                .should().dependOnClassesThat().resideInAPackage("io.tcplens.ui.shell..")
                .because("the palette and stylesheets sit below the shell; every view may use them")
                .check(ArchitectureTest.MAIN);
    }
}
