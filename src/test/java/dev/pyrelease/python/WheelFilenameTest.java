package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WheelFilenameTest {
  private static final TargetPython PY311 = TargetPython.linux("3.11");

  @Test
  void parsesCompressedTagSets() {
    WheelFilename w =
        WheelFilename.parse(
            "pillow-11.3.0-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
    assertThat(w.distribution()).isEqualTo("pillow");
    assertThat(w.version()).hasToString("11.3.0");
    assertThat(w.buildTag()).isNull();
    assertThat(w.tags())
        .containsExactly(
            new WheelTag("cp311", "cp311", "manylinux2014_x86_64"),
            new WheelTag("cp311", "cp311", "manylinux_2_17_x86_64"));
    assertThat(w.isCompatible(PY311)).isTrue();
    assertThat(w.isCompatible(TargetPython.linux("3.12"))).isFalse();
  }

  @Test
  void newerGlibcWheelNeedsNewerGlibc() {
    WheelFilename lxml =
        WheelFilename.parse(
            "lxml-6.1.3-cp311-cp311-manylinux_2_26_x86_64.manylinux_2_28_x86_64.whl");
    assertThat(lxml.tags()).hasSize(2);
    assertThat(lxml.isCompatible(PY311)).isTrue();
    assertThat(lxml.isCompatible(PY311.withGlibc(2, 28))).isTrue();
    assertThat(lxml.isCompatible(PY311.withGlibc(2, 17))).isFalse();
    assertThat(lxml.isCompatible(PY311.withMachine("aarch64"))).isFalse();
  }

  @Test
  void musllinuxWheelIsOnlyForMusl() {
    WheelFilename numpy = WheelFilename.parse("numpy-2.3.5-cp311-cp311-musllinux_1_2_x86_64.whl");
    assertThat(numpy.isCompatible(PY311)).isFalse();
    assertThat(numpy.priority(PY311)).isEqualTo(-1);
    assertThat(numpy.isCompatible(PY311.withMusl(1, 2))).isTrue();
    assertThat(numpy.isCompatible(PY311.withMusl(1, 1))).isFalse();
  }

  @Test
  void stableAbiWheelFitsNewerInterpreters() {
    WheelFilename bcrypt =
        WheelFilename.parse(
            "bcrypt-5.0.0-cp38-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
    assertThat(bcrypt.isCompatible(PY311)).isTrue();
    assertThat(bcrypt.isCompatible(TargetPython.linux("3.13"))).isTrue();
    assertThat(bcrypt.isCompatible(TargetPython.linux("3.7"))).isFalse();
    WheelFilename ast =
        WheelFilename.parse(
            "ast_serialize-0.11.2-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    assertThat(ast.isCompatible(PY311)).isTrue();
  }

  @Test
  void pureWheelsFitAnything() {
    WheelFilename six = WheelFilename.parse("six-1.17.0-py2.py3-none-any.whl");
    assertThat(six.tags())
        .containsExactly(new WheelTag("py2", "none", "any"), new WheelTag("py3", "none", "any"));
    assertThat(six.isCompatible(PY311)).isTrue();
    assertThat(six.isCompatible(PY311.withMusl(1, 2).withMachine("aarch64"))).isTrue();
    assertThat(WheelFilename.parse("python_dateutil-2.9.0.post0-py2.py3-none-any.whl").version())
        .hasToString("2.9.0.post0");
    assertThat(WheelFilename.parse("Flask_Login-0.6.3-py3-none-any.whl").normalizedName())
        .isEqualTo("flask-login");
  }

  @Test
  void pythonTwoOnlyWheelDoesNotFit() {
    assertThat(WheelFilename.parse("foo-1.0-py2-none-any.whl").isCompatible(PY311)).isFalse();
    assertThat(
            WheelFilename.parse("foo-1.0-cp310-cp310-manylinux_2_17_x86_64.whl")
                .isCompatible(PY311))
        .isFalse();
  }

  @Test
  void parsesBuildTags() {
    WheelFilename w =
        WheelFilename.parse("cmeel_boost-1.90.0-0-cp311-cp311-manylinux_2_28_x86_64.whl");
    assertThat(w.buildTag()).isEqualTo("0");
    assertThat(w.version()).hasToString("1.90.0");
    assertThat(w.isCompatible(PY311)).isTrue();
  }

  @Test
  void prefersSpecificWheelsOverGenericOnes() {
    int binary =
        WheelFilename.parse(
                "markupsafe-3.0.3-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl")
            .priority(PY311);
    int abi3 = WheelFilename.parse("x-1.0-cp38-abi3-manylinux_2_17_x86_64.whl").priority(PY311);
    int pure = WheelFilename.parse("markupsafe-3.0.3-py3-none-any.whl").priority(PY311);
    int newerGlibc =
        WheelFilename.parse("x-1.0-cp311-cp311-manylinux_2_28_x86_64.whl").priority(PY311);
    assertThat(newerGlibc).isLessThan(binary);
    assertThat(binary).isLessThan(abi3);
    assertThat(abi3).isLessThan(pure);
    assertThat(pure).isGreaterThan(0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "foo.whl",
        "foo-1.0.whl",
        "foo-1.0-py3-none-any.tar.gz",
        "foo-1.0-py3-none-any",
        "foo-x.y-py3-none-any.whl",
        "foo-1.0-a-b-py3-none-any.whl",
        "foo-1.0-x1-py3-none-any.whl",
        "-1.0-py3-none-any.whl",
        "foo-1.0-py3..py2-none-any.whl",
        "foo-1.0-py3-none-.whl",
        "fo o-1.0-py3-none-any.whl",
        "_foo-1.0-py3-none-any.whl"
      })
  void rejectsInvalidNames(String filename) {
    assertThatThrownBy(() -> WheelFilename.parse(filename))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageStartingWith("invalid wheel file name");
  }
}
