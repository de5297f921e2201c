package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProjectDependenciesTest {
  @Test
  void readsTheProjectTablesDependenciesOverSeveralLinesWithComments() {
    ProjectDependencies d =
        ProjectDependencies.parse(
            """
            [build-system]
            requires = ["setuptools>=61"]  # not the app's
            dependencies = ["nope"]

            [project]
            name = "shop"
            version = '1.4.2'
            dependencies = [
              "django==5.2.17",  # the web framework
              'rich>=13',
              "tomli; python_version < \\"3.11\\"",
              # "commented-out",
            ]

            [project.optional-dependencies]
            dev = ["pytest"]
            """);
    assertThat(d.name()).isEqualTo("shop");
    assertThat(d.version()).isEqualTo("1.4.2");
    assertThat(d.unknownBecause()).isNull();
    assertThat(d.requires())
        .extracting(Requirement::toString)
        .containsExactly("django==5.2.17", "rich>=13", "tomli; python_version < \"3.11\"");
    assertThat(d.who("pyproject.toml"))
        .isEqualTo("the app shop 1.4.2 (pyproject.toml [project] dependencies)");
  }

  @Test
  void noDependenciesAndDynamicOnes() {
    assertThat(ProjectDependencies.parse("[project]\nname = \"a\"\n").requires()).isEmpty();
    ProjectDependencies dyn =
        ProjectDependencies.parse(
            "[project]\nname = \"a\"\ndynamic = [\"version\", \"dependencies\"]\n");
    assertThat(dyn.unknownBecause()).contains("dynamic");
  }

  @Test
  void anInvalidDependencyOrAnUnclosedArrayIsAnError() {
    assertThatThrownBy(() -> ProjectDependencies.parse("[project]\ndependencies = [\"a b c\"]\n"))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageContaining("'a b c'");
    assertThatThrownBy(() -> ProjectDependencies.parse("[project]\ndependencies = [\"a\",\n"))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageContaining("not closed");
  }
}
