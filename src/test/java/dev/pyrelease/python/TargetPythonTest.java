package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetPythonTest {

  @Test
  void defaultsToBookwormOnX86() {
    TargetPython t = TargetPython.linux("3.11");
    assertThat(t.pythonVersion()).isEqualTo("3.11");
    assertThat(t.pythonFullVersion()).hasToString("3.11.0");
    assertThat(t.machine()).isEqualTo("x86_64");
    assertThat(t.libc()).isEqualTo(TargetPython.Libc.GLIBC);
    assertThat(t.libcMajor()).isEqualTo(2);
    assertThat(t.libcMinor()).isEqualTo(36);
  }

  @Test
  void keepsAFullVersion() {
    TargetPython t = TargetPython.linux("3.11.2");
    assertThat(t.pythonVersion()).isEqualTo("3.11");
    assertThat(t.markerEnvironment())
        .containsEntry("python_version", "3.11")
        .containsEntry("python_full_version", "3.11.2")
        .containsEntry("implementation_version", "3.11.2");
  }

  @Test
  void providesEveryMarkerVariable() {
    assertThat(TargetPython.linux("3.12").withMachine("aarch64").markerEnvironment())
        .containsEntry("implementation_name", "cpython")
        .containsEntry("platform_python_implementation", "CPython")
        .containsEntry("sys_platform", "linux")
        .containsEntry("platform_system", "Linux")
        .containsEntry("platform_machine", "aarch64")
        .containsEntry("os_name", "posix")
        .containsKeys("platform_release", "platform_version")
        .hasSize(11);
  }

  @Test
  void acceptsAReleaseCandidate() {
    assertThat(TargetPython.linux("3.14.0rc2").markerEnvironment())
        .containsEntry("python_full_version", "3.14.0rc2")
        .containsEntry("python_version", "3.14");
    assertThat(TargetPython.linux("3.14rc1").pythonFullVersion()).hasToString("3.14.0rc1");
  }

  @Test
  void rejectsSomethingThatIsNotPython3() {
    assertThatThrownBy(() -> TargetPython.linux("2.7")).isInstanceOf(PythonSyntaxException.class);
    assertThatThrownBy(() -> TargetPython.linux("3")).isInstanceOf(PythonSyntaxException.class);
    assertThatThrownBy(() -> TargetPython.linux("1!3.11"))
        .isInstanceOf(PythonSyntaxException.class);
    assertThatThrownBy(() -> TargetPython.linux("3.11+local"))
        .isInstanceOf(PythonSyntaxException.class);
    assertThatThrownBy(() -> TargetPython.linux("three")).isInstanceOf(PythonSyntaxException.class);
  }
}
