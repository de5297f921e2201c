package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkerTest {
  private static final TargetPython PY311 = TargetPython.linux("3.11");

  private static boolean eval(String marker) {
    return Marker.parse(marker).evaluate(PY311, Set.of());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "python_version < '3.10' | false",
        "python_version < \"3.12\" | true",
        "python_version >= '3.8' | true",
        "python_version == '3.11' | true",
        "python_version == '3.11.*' | true",
        "python_version > '3.9' | true",
        "python_version ~= '3.8' | true",
        "python_version ~= '3.12' | false",
        "python_full_version >= '3.11.0' | true",
        "python_full_version < '3.11.1' | true",
        "'3.10' > python_version | false",
        "sys_platform == 'linux' | true",
        "sys_platform == 'win32' | false",
        "sys_platform != 'win32' | true",
        "'linux' in sys_platform | true",
        "'win' in sys_platform | false",
        "'win' not in sys_platform | true",
        "platform_system == 'Linux' | true",
        "os_name == 'nt' | false",
        "os_name == 'posix' | true",
        "platform_machine == 'x86_64' | true",
        "platform_machine in 'x86_64 X86_64 aarch64 AMD64' | true",
        "platform_python_implementation == 'CPython' | true",
        "implementation_name == 'pypy' | false",
        "implementation_name == 'cpython' and python_version < '3.12' | true",
        "python_version < '3.10' or sys_platform == 'linux' | true",
        "python_version < '3.10' or sys_platform == 'win32' | false",
        "(python_version < '3.10' or sys_platform == 'linux') and os_name == 'posix' | true",
        "python_version < '3.10' or sys_platform == 'linux' and os_name == 'nt' | false",
        "sys.platform == 'linux' | true",
        "platform_release >= '5.0' | false",
        "platform_machine > 'a' | false",
        "platform_machine < 'z' | false",
        "platform_machine >= 'x86_64' | true",
        "platform_machine <= 'x86' | false",
        "platform_machine ~= 'x86_64' | false",
        "os_name === 'posix' | false",
        "python_version === '3.11' | true",
        "python_version == 'three' | false",
        "extra == 'redis' | false",
        "extra != 'redis' | true",
      })
  void evaluatesForPython311OnLinux(String marker, boolean expected) {
    assertThat(eval(marker)).as(marker).isEqualTo(expected);
  }

  @Test
  void extraComparesNormalisedNamesAndAnyRequestedExtraCounts() {
    Marker m = Marker.parse("extra == 'Redis'");
    assertThat(m.evaluate(PY311, Set.of("redis"))).isTrue();
    assertThat(m.evaluate(PY311, Set.of("REDIS"))).isTrue();
    assertThat(m.evaluate(PY311, Set.of("sqs", "redis"))).isTrue();
    assertThat(m.evaluate(PY311, Set.of("sqs"))).isFalse();
    assertThat(m.evaluate(PY311, Set.of())).isFalse();
    assertThat(Marker.parse("extra == 'sql_alchemy'").evaluate(PY311, Set.of("sql.alchemy")))
        .isTrue();
  }

  @Test
  void extrasAreEvaluatedOneAtATimeAsPipDoes() {
    Marker both = Marker.parse("extra == 'a' and extra == 'b'");
    assertThat(both.evaluate(PY311, Set.of("a", "b"))).isFalse();
    Marker combined = Marker.parse("extra == 'redis' and python_version < '3.10'");
    assertThat(combined.evaluate(PY311, Set.of("redis"))).isFalse();
    assertThat(combined.evaluate(TargetPython.linux("3.9"), Set.of("redis"))).isTrue();
  }

  @Test
  void versionVariablesThatAreNotVersionsMatchNothing() {
    Map<String, String> env = Map.of("platform_release", "5.15.0-1034-azure");
    assertThat(Marker.parse("platform_release >= '5.0'").evaluate(env)).isFalse();
    // a right side that is no version makes it a string comparison
    assertThat(Marker.parse("platform_release == '5.15.0-1034-azure'").evaluate(env)).isTrue();
    assertThat(Marker.parse("'azure' in platform_release").evaluate(env)).isTrue();
  }

  @Test
  void versionComparisonIsNumericNotLexical() {
    // "3.9" > "3.10" as strings, but not as versions
    assertThat(
            Marker.parse("python_version > '3.9'").evaluate(TargetPython.linux("3.10"), Set.of()))
        .isTrue();
  }

  @Test
  void printsCanonically() {
    assertThat(Marker.parse("python_version<'3.10'   and(extra==\"redis\" or os_name=='nt')"))
        .hasToString("python_version < \"3.10\" and (extra == \"redis\" or os_name == \"nt\")");
    assertThat(Marker.parse("'linux' not  in sys_platform"))
        .hasToString("\"linux\" not in sys_platform");
    assertThat(Marker.parse("os.name == 'posix'")).hasToString("os_name == \"posix\"");
    assertThat(Marker.parse("os_name == 'a\"b'")).hasToString("os_name == 'a\"b'");
  }

  @Test
  void reparsesItsOwnOutput() {
    String text = "(python_version < '3.10' or extra == 'x') and 'linux' in sys_platform";
    Marker m = Marker.parse(text);
    assertThat(Marker.parse(m.toString())).isEqualTo(m);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "python_version",
        "python_version <",
        "python_version < '3.10",
        "python_version << '3'",
        "nonsense == '1'",
        "python_version < '3' and",
        "python_version < '3' or or os_name == 'nt'",
        "(python_version < '3'",
        "python_version < '3')",
        "python_version not '3'",
        "python_version = '3'",
        "'a' 'b'",
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
      })
  void rejectsInvalidMarkers(String text) {
    assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageStartingWith("invalid marker");
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String deep = "(".repeat(100_000) + "os_name == 'nt'" + ")".repeat(100_000);
    assertThatThrownBy(() -> Marker.parse(deep)).isInstanceOf(PythonSyntaxException.class);
  }
}
