package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementTest {
  private static final TargetPython PY311 = TargetPython.linux("3.11");

  @Test
  void parsesNameOnly() {
    Requirement r = Requirement.parse("Flask");
    assertThat(r.name()).isEqualTo("Flask");
    assertThat(r.normalizedName()).isEqualTo("flask");
    assertThat(r.extras()).isEmpty();
    assertThat(r.specifier().isEmpty()).isTrue();
    assertThat(r.url()).isNull();
    assertThat(r.marker()).isNull();
    assertThat(r).hasToString("Flask");
  }

  @Test
  void parsesExtrasSpecifiersAndMarker() {
    Requirement r = Requirement.parse("kombu[redis, sqs] >=5.6.0,<5.7 ; python_version >= \"3.9\"");
    assertThat(r.name()).isEqualTo("kombu");
    assertThat(r.extras()).containsExactly("redis", "sqs");
    assertThat(r.specifier()).hasToString(">=5.6.0,<5.7");
    assertThat(r.marker()).hasToString("python_version >= \"3.9\"");
    assertThat(r).hasToString("kombu[redis,sqs]>=5.6.0,<5.7; python_version >= \"3.9\"");
    assertThat(r.appliesTo(PY311, Set.of())).isTrue();
  }

  @Test
  void parsesParenthesisedSpecifiers() {
    Requirement r = Requirement.parse("redis (!=4.5.5,<=5.2.1,>=4.5.2); extra == \"redis\"");
    assertThat(r.specifier().specifiers()).hasSize(3);
    assertThat(r.marker()).hasToString("extra == \"redis\"");
    assertThat(r.appliesTo(PY311, Set.of())).isFalse();
    assertThat(r.appliesTo(PY311, Set.of("redis"))).isTrue();
  }

  @Test
  void parsesRealRequiresDistLines() {
    assertThat(
            Requirement.parse("importlib-metadata>=3.6.0; python_version < \"3.10\"")
                .appliesTo(PY311, Set.of()))
        .isFalse();
    assertThat(Requirement.parse("asgiref>=3.2; extra == \"async\"").normalizedName())
        .isEqualTo("asgiref");
    assertThat(
            Requirement.parse("tzdata>=2025.2; sys_platform == 'win32'").appliesTo(PY311, Set.of()))
        .isFalse();
    assertThat(Requirement.parse("backports.zoneinfo[tzdata]>=0.2.1; python_version<'3.9'").name())
        .isEqualTo("backports.zoneinfo");
  }

  @Test
  void parsesUrlRequirements() {
    Requirement r =
        Requirement.parse("pip @ https://example.com/pip-24.0.whl ; os_name == 'posix'");
    assertThat(r.url()).isEqualTo("https://example.com/pip-24.0.whl");
    assertThat(r.marker()).isNotNull();
    assertThat(r).hasToString("pip @ https://example.com/pip-24.0.whl ; os_name == \"posix\"");
    assertThat(Requirement.parse("name@file:///tmp/x.whl").url()).isEqualTo("file:///tmp/x.whl");
  }

  @Test
  void roundTripsThroughToString() {
    for (String text :
        new String[] {
          "a",
          "a[b]",
          "a>=1,<2",
          "a[b,c]==1.0.*; extra == \"d\"",
          "a @ http://x/y ; os_name == \"nt\""
        }) {
      Requirement r = Requirement.parse(text);
      assertThat(Requirement.parse(r.toString())).isEqualTo(r);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "-foo",
        "foo-",
        "foo[",
        "foo[bar",
        "foo[bar,]",
        "foo[-bar]",
        "foo bar",
        "foo >=",
        "foo,>=1.0",
        "foo>=1.0,,<2",
        "foo (>=1.0",
        "foo @",
        "foo ; ",
        "foo ; python_version <",
        "foo==1.0 extra",
        "foo>=x.y",
        "foo=1.0",
        "foo @ http://x ==1.0"
      })
  void rejectsInvalidRequirements(String text) {
    assertThatThrownBy(() -> Requirement.parse(text))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageStartingWith("invalid requirement");
  }
}
