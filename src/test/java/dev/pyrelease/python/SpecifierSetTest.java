package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecifierSetTest {

  private static boolean matches(String spec, String version) {
    return SpecifierSet.parse(spec).contains(Version.parse(version));
  }

  private static boolean matchesAllowingPre(String spec, String version) {
    return SpecifierSet.parse(spec).contains(Version.parse(version), true);
  }

  @ParameterizedTest
  @CsvSource({
    // ~= from PEP 440: ~=2.2 is >=2.2,==2.*; ~=1.4.5 is >=1.4.5,==1.4.*
    "~=2.2, 2.2, true",
    "~=2.2, 2.3, true",
    "~=2.2, 2.9.9, true",
    "~=2.2, 3.0, false",
    "~=2.2, 2.1, false",
    "~=1.4.5, 1.4.5, true",
    "~=1.4.5, 1.4.9, true",
    "~=1.4.5, 1.5.0, false",
    "~=1.4.5, 1.4.4, false",
    "~=2.2.0, 2.2.1, true",
    "~=2.2.0, 2.3, false",
    "~=2.2.post3, 2.2.post4, true",
    "~=2.2.post3, 2.2, false",
    "~=2.2.post3, 2.9, true",
    "~=1!2.2, 1!2.5, true",
    "~=1!2.2, 2.5, false",
    // == with and without wildcard
    "==1.1, 1.1.0, true",
    "==1.1, 1.1.post1, false",
    "==1.1.post1, 1.1.post1, true",
    "==1.1.*, 1.1, true",
    "==1.1.*, 1.1.0, true",
    "==1.1.*, 1.1.post1, true",
    "==1.1.*, 1.1.5, true",
    "==1.1.*, 1.10, false",
    "==1.1.*, 1.2, false",
    "==1.0.0.*, 1.0, true",
    "==1.*, 1, true",
    "==1.*, 2.0, false",
    // != with and without wildcard
    "!=1.1, 1.1.0, false",
    "!=1.1, 1.2, true",
    "!=1.1.*, 1.1.3, false",
    "!=1.1.*, 1.2, true",
    // local versions
    "==1.0, 1.0+ubuntu.1, true",
    "==1.0+ubuntu.1, 1.0+ubuntu.1, true",
    "==1.0+ubuntu.1, 1.0, false",
    "==1.0+ubuntu.1, 1.0+ubuntu.2, false",
    "!=1.0, 1.0+ubuntu.1, false",
    "<=1.0, 1.0+ubuntu.1, true",
    ">=1.0, 1.0+ubuntu.1, true",
    // inclusive ordered comparisons
    "<=2.0, 2.0, true",
    "<=2.0, 2.0.post1, false",
    ">=2.0, 2.0, true",
    ">=2.0, 1.9.9, false",
    // exclusive ordered comparisons
    "<1.0, 0.9, true",
    "<1.0, 1.0, false",
    ">1.7, 1.7.1, true",
    ">1.7, 1.7, false",
    ">1.7, 1.7.post1, false",
    ">1.7, 1.7+local.1, false",
    ">1.7, 1.8+local.1, true",
    ">1.7.post2, 1.7.post3, true",
    ">1.7.post2, 1.7.post2, false",
    // arbitrary equality compares strings
    "===1.0, 1.0, true",
    "===1.0, 1.0.0, false",
    // all clauses must match
    "'>=1.0,<2.0', 1.5, true",
    "'>=1.0,<2.0', 2.0, false",
    "'>=4.5.2,!=4.5.5,!=5.0.2,<=5.2.1', 5.0.2, false",
    "'>=4.5.2,!=4.5.5,!=5.0.2,<=5.2.1', 5.2.1, true",
    "'>=4.5.2,!=4.5.5,!=5.0.2,<=5.2.1', 8.1.0, false",
    "'', 1.0, true",
  })
  void matchesAsPep440Says(String spec, String version, boolean expected) {
    assertThat(matches(spec, version)).as("%s contains %s", spec, version).isEqualTo(expected);
  }

  @Test
  void lessThanExcludesPrereleasesOfTheNamedVersionOnly() {
    // PEP 440: <V must not allow a pre-release of V unless V is itself a pre-release
    assertThat(matchesAllowingPre("<1.0", "1.0rc1")).isFalse();
    assertThat(matchesAllowingPre("<1.0", "1.0.dev1")).isFalse();
    assertThat(matchesAllowingPre("<1.0", "0.9rc1")).isTrue();
    assertThat(matchesAllowingPre("<1.0rc2", "1.0rc1")).isTrue();
    assertThat(matches("<1.0rc2", "1.0rc1")).isTrue();
  }

  @Test
  void exclusiveComparisonsExcludeOnlyReleasesOfTheNamedVersion() {
    // ">V must not allow a post-release of V": 10.post2 is a post-release of 10, not of 10.0rc2
    assertThat(matchesAllowingPre(">10.0rc2", "10.post2")).isTrue();
    assertThat(matchesAllowingPre(">1.0a1", "1.0a1.post1")).isFalse();
    // ">V must not match a local version of V", but a local version of a later one is fine
    assertThat(matchesAllowingPre(">1.0a1", "1.0a1+local")).isFalse();
    assertThat(matchesAllowingPre(">1.0a1", "1.0a2+local")).isTrue();
    // "<V must not allow a pre-release of V": 1.0rc1 is not a pre-release of 1.0.post1
    assertThat(matchesAllowingPre("<1.0.post1", "1.0rc1")).isTrue();
    assertThat(matchesAllowingPre("<1.0.post1", "1.0.post1.dev0")).isFalse();
    assertThat(matchesAllowingPre("<1.0", "0.9.post1.dev1")).isTrue();
  }

  @Test
  void prereleasesAreExcludedUnlessNamedOrAllowed() {
    assertThat(matches(">=1.0", "2.0a1")).isFalse();
    assertThat(matchesAllowingPre(">=1.0", "2.0a1")).isTrue();
    assertThat(matches(">=1.0b1", "1.0b2")).isTrue();
    assertThat(matches(">=1.0b1", "2.0.dev1")).isTrue();
    assertThat(matches("==1.1.*", "1.1a1")).isFalse();
    assertThat(matchesAllowingPre("==1.1.*", "1.1a1")).isTrue();
    assertThat(matches("", "1.0a1")).isFalse();
    assertThat(matches("!=1.0a1", "1.0a2")).isFalse();
  }

  @Test
  void keepsClausesInWrittenOrder() {
    SpecifierSet set = SpecifierSet.parse(" >=4.5.2 , !=4.5.5,<=5.2.1");
    assertThat(set).hasToString(">=4.5.2,!=4.5.5,<=5.2.1");
    assertThat(set.specifiers()).hasSize(3);
    assertThat(set.specifiers().get(1).operator()).isEqualTo("!=");
    assertThat(set.specifiers().get(1).version()).isEqualTo("4.5.5");
    assertThat(set.isEmpty()).isFalse();
    assertThat(SpecifierSet.parse("").isEmpty()).isTrue();
    assertThat(SpecifierSet.parse(">=3.8,")).hasToString(">=3.8");
  }

  @Test
  void singleSpecifierAppliesOnlyItsOperator() {
    Specifier spec = Specifier.parse(">= 1.0");
    assertThat(spec.operator()).isEqualTo(">=");
    assertThat(spec.version()).isEqualTo("1.0");
    assertThat(spec.contains(Version.parse("2.0a1"))).isTrue();
    assertThat(spec).hasToString(">=1.0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0",
        ">=",
        "=>1.0",
        "~=1",
        "~=1.0.*",
        ">=1.0.*",
        "<1.0+local",
        "==1.0a1.*",
        "==1.0+local.*",
        ">=x.y",
        "==1.0,,>=",
        "=== spaced out",
        "=1.0"
      })
  void rejectsInvalidSpecifiers(String text) {
    assertThatThrownBy(() -> SpecifierSet.parse(text))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageContaining("invalid specifier");
  }
}
