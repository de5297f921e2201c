package dev.pyrelease;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of ARCHITECTURE.md, on the compiled main classes: a new cycle or a leaf that
 * starts importing the project fails the build.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pyrelease");
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("dev.pyrelease.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void leavesImportNothingOfOurs() {
    for (String leaf : new String[] {"api", "config", "http", "metrics", "python"}) {
      noClasses()
          .that()
          .resideInAPackage("dev.pyrelease." + leaf + "..")
          .should()
          .dependOnClassesThat(
              com.tngtech.archunit.base.DescribedPredicate.describe(
                  "are in another package of pyrelease",
                  c ->
                      c.getPackageName().startsWith("dev.pyrelease")
                          && !c.getPackageName().startsWith("dev.pyrelease." + leaf)))
          .because(leaf + " is a leaf: it imports nothing of pyrelease")
          .check(classes);
    }
  }

  @Test
  void onlyMainImportsTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.pyrelease.cli..")
        .and()
        .doNotHaveFullyQualifiedName("dev.pyrelease.Main")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.pyrelease.cli..")
        .check(classes);
  }

  @Test
  void theReconcilerOnlyOrchestrates() {
    noClasses()
        .that()
        .resideInAPackage("dev.pyrelease.reconciler..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pyrelease.operator..",
            "dev.pyrelease.engine..",
            "dev.pyrelease.image..",
            "dev.pyrelease.cli..")
        .because("the reconciler never imports the operator's wiring or the local build engine")
        .check(classes);
  }

  @Test
  void theBuildEngineKnowsNothingOfTheOperator() {
    noClasses()
        .that()
        .resideInAPackage("dev.pyrelease.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pyrelease.operator..",
            "dev.pyrelease.reconciler..",
            "dev.pyrelease.kube..",
            "dev.pyrelease.status..",
            "dev.pyrelease.metrics..",
            "dev.pyrelease.cli..")
        .check(classes);
  }

  @Test
  void theSharedFactsDependOnNeitherSide() {
    noClasses()
        .that()
        .resideInAPackage("dev.pyrelease.release..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pyrelease.engine..",
            "dev.pyrelease.reconciler..",
            "dev.pyrelease.operator..",
            "dev.pyrelease.validate..",
            "dev.pyrelease.image..",
            "dev.pyrelease.cli..")
        .because("release holds what the CLI and the operator both compute, once")
        .check(classes);
  }

  @Test
  void theBuildJobContractStandsBetweenBothSides() {
    noClasses()
        .that()
        .resideInAPackage("dev.pyrelease.buildjob..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pyrelease.engine..",
            "dev.pyrelease.reconciler..",
            "dev.pyrelease.operator..",
            "dev.pyrelease.cli..")
        .because("the operator writes the Job and the step commands read it: neither side owns it")
        .check(classes);
  }

  @Test
  void pureBuildersTakeOnlyTheirPartOfTheConfiguration() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.pyrelease.buildjob..", "dev.pyrelease.kube..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.pyrelease.config.OperatorConfig")
        .check(classes);
  }
}
