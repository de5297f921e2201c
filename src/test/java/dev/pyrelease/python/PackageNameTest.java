package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackageNameTest {

  @ParameterizedTest
  @CsvSource({
    "Django, django",
    "zope.interface, zope-interface",
    "Flask_Login, flask-login",
    "friendly-bard, friendly-bard",
    "FRIENDLY-BARD, friendly-bard",
    "friendly.bard, friendly-bard",
    "friendly_bard, friendly-bard",
    "friendly--bard, friendly-bard",
    "FrIeNdLy-._.-bArD, friendly-bard",
  })
  void normalisesAsPep503Says(String name, String normalised) {
    assertThat(PackageName.normalize(name)).isEqualTo(normalised);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "A1", "zope.interface", "backports.tarfile", "a-b_c.d", "9"})
  void acceptsValidNames(String name) {
    assertThat(PackageName.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "a.", "_a", "a b", "a!", "ä", "a/b"})
  void rejectsInvalidNames(String name) {
    assertThat(PackageName.isValid(name)).isFalse();
  }

  @Test
  void nullIsNotValid() {
    assertThat(PackageName.isValid(null)).isFalse();
  }
}
