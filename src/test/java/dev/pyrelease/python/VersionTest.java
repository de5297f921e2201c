package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

  /** The example ordering from PEP 440, "Summary of permitted suffixes and relative ordering". */
  private static final List<String> PEP_440_ORDER =
      List.of(
          "1.dev0",
          "1.0.dev456",
          "1.0a1",
          "1.0a2.dev456",
          "1.0a12.dev456",
          "1.0a12",
          "1.0b1.dev456",
          "1.0b2",
          "1.0b2.post345.dev456",
          "1.0b2.post345",
          "1.0rc1.dev456",
          "1.0rc1",
          "1.0",
          "1.0+abc.5",
          "1.0+abc.7",
          "1.0+5",
          "1.0.post456.dev34",
          "1.0.post456",
          "1.0.15",
          "1.1.dev1");

  @Test
  void ordersThePepExampleList() {
    List<Version> shuffled = new ArrayList<>(PEP_440_ORDER.stream().map(Version::parse).toList());
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled.stream().map(Version::toString)).containsExactlyElementsOf(PEP_440_ORDER);
    for (int i = 0; i + 1 < PEP_440_ORDER.size(); i++) {
      Version lower = Version.parse(PEP_440_ORDER.get(i));
      Version higher = Version.parse(PEP_440_ORDER.get(i + 1));
      assertThat(lower).isLessThan(higher);
      assertThat(higher).isGreaterThan(lower);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1.1RC1, 1.1rc1",
    "00, 0",
    "09000, 9000",
    "1.0.00, 1.0.0",
    "1.1.a1, 1.1a1",
    "1.1-a1, 1.1a1",
    "1.1_a1, 1.1a1",
    "1.0a.1, 1.0a1",
    "1.0-a-1, 1.0a1",
    "1.1alpha1, 1.1a1",
    "1.1beta2, 1.1b2",
    "1.1c3, 1.1rc3",
    "1.1pre1, 1.1rc1",
    "1.1preview1, 1.1rc1",
    "1.2a, 1.2a0",
    "1.2-post2, 1.2.post2",
    "1.2post2, 1.2.post2",
    "1.2.r4, 1.2.post4",
    "1.2rev4, 1.2.post4",
    "1.2.post, 1.2.post0",
    "1.0-1, 1.0.post1",
    "1.2-dev2, 1.2.dev2",
    "1.2dev2, 1.2.dev2",
    "1.2.dev, 1.2.dev0",
    "1.0+ubuntu-1, 1.0+ubuntu.1",
    "1.0+ubuntu_1, 1.0+ubuntu.1",
    "1.0+Ubuntu.01, 1.0+ubuntu.1",
    "v1.0, 1.0",
    "V1.0, 1.0",
    "0!1.0, 1.0",
    "1!1.0, 1!1.0",
    "1.0a1-1, 1.0a1.post1",
    "1.0rc1.post2.dev3+local.7, 1.0rc1.post2.dev3+local.7",
  })
  void normalisesAsPep440Says(String input, String normalised) {
    assertThat(Version.parse(input)).hasToString(normalised);
  }

  @Test
  void stripsSurroundingWhitespace() {
    assertThat(Version.parse(" 1.0\n")).hasToString("1.0");
  }

  @Test
  void equalityIgnoresTrailingZeros() {
    assertThat(Version.parse("1.0")).isEqualTo(Version.parse("1.0.0"));
    assertThat(Version.parse("1.0")).hasSameHashCodeAs(Version.parse("1.0.0.0"));
    assertThat(Version.parse("1.0")).isNotEqualTo(Version.parse("1.0.post0"));
    assertThat(Version.parse("1.0a")).isEqualTo(Version.parse("1.0a0"));
  }

  @Test
  void handlesNumbersBeyondLong() {
    Version v = Version.parse("99999999999999999999999999.1");
    assertThat(v.release().get(0)).isEqualTo(new BigInteger("99999999999999999999999999"));
    assertThat(v).isGreaterThan(Version.parse("9223372036854775807"));
  }

  @Test
  void exposesItsParts() {
    Version v = Version.parse("2!1.4.0rc2.post3.dev4+ubuntu.1");
    assertThat(v.epoch()).isEqualTo(BigInteger.TWO);
    assertThat(v.release()).containsExactly(BigInteger.ONE, BigInteger.valueOf(4), BigInteger.ZERO);
    assertThat(v.preKind()).isEqualTo(Version.PreKind.RC);
    assertThat(v.preNumber()).isEqualTo(BigInteger.TWO);
    assertThat(v.post()).isEqualTo(BigInteger.valueOf(3));
    assertThat(v.dev()).isEqualTo(BigInteger.valueOf(4));
    assertThat(v.local()).isEqualTo("ubuntu.1");
    assertThat(v.isPrerelease()).isTrue();
    assertThat(v.isPostrelease()).isTrue();
    assertThat(v.isDevrelease()).isTrue();
    assertThat(v.hasLocal()).isTrue();
    assertThat(v.publicVersion()).hasToString("2!1.4.0rc2.post3.dev4");
    assertThat(v.baseVersion()).hasToString("2!1.4.0");
  }

  @Test
  void classifiesReleases() {
    assertThat(Version.parse("1.0").isPrerelease()).isFalse();
    assertThat(Version.parse("1.0.dev1").isPrerelease()).isTrue();
    assertThat(Version.parse("1.0.post1.dev1").isPrerelease()).isTrue();
    assertThat(Version.parse("1.0.post1").isPrerelease()).isFalse();
    assertThat(Version.parse("1.0+local").hasLocal()).isTrue();
    assertThat(Version.parse("1.0").local()).isNull();
  }

  @Test
  void epochWinsOverRelease() {
    assertThat(Version.parse("1!0.1")).isGreaterThan(Version.parse("2024.10"));
  }

  @Test
  void localSegmentsCompareAsThePepSays() {
    // alphanumeric segments sort before numeric ones, and a longer label after its prefix
    assertThat(Version.parse("1.0+abc")).isLessThan(Version.parse("1.0+1"));
    assertThat(Version.parse("1.0+abc")).isLessThan(Version.parse("1.0+abc.1"));
    assertThat(Version.parse("1.0+2")).isLessThan(Version.parse("1.0+10"));
    assertThat(Version.parse("1.0")).isLessThan(Version.parse("1.0+0"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "x.y",
        "1.",
        "1..0",
        "1.0a1a1",
        "1.0+",
        "1.0+a..b",
        "1.0+a-",
        "1!",
        "!1",
        "1.0.post1.post2",
        "1.0 rc1",
        "vv1.0",
        "1.0-",
        "1.0dev1dev",
        "french toast",
        "1.0\u0661"
      })
  void rejectsInvalidVersionsWithTheTypedError(String text) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageStartingWith("invalid version '");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Version.parse(null)).isInstanceOf(PythonSyntaxException.class);
  }

  @Test
  void messageSaysWhatIsWrong() {
    assertThatThrownBy(() -> Version.parse("x.y"))
        .hasMessage("invalid version 'x.y': it must start with a number");
  }
}
