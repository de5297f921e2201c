package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequirementPathsTest {

  @Test
  void normalizeResolvesDotsAndSlashesWithinTheRoot() {
    assertThat(RequirementPaths.normalize("a/./b//c/../d.txt")).isEqualTo("a/b/d.txt");
    assertThat(RequirementPaths.normalize("./")).isEmpty();
    assertThat(RequirementPaths.normalize("a/../../b")).isNull();
    assertThat(RequirementPaths.normalize("a\0b")).isNull();
  }

  @Test
  void urlsAndAbsolutePathsAreRecognised() {
    assertThat(RequirementPaths.isUrl(" https://h/r.txt ")).isTrue();
    assertThat(RequirementPaths.isUrl("file:r.txt")).isTrue();
    assertThat(RequirementPaths.hasUrlScheme(" https://h/r.txt")).isFalse();
    assertThat(RequirementPaths.isUrl("requirements/base.txt")).isFalse();
    assertThat(RequirementPaths.isAbsolute("/etc/r.txt")).isTrue();
    assertThat(RequirementPaths.isAbsolute("~/r.txt")).isTrue();
    assertThat(RequirementPaths.isAbsolute("C:\\r.txt")).isTrue();
    assertThat(RequirementPaths.isAbsolute("\\\\host\\share\\r.txt")).isTrue();
    assertThat(RequirementPaths.isAbsolute("r.txt")).isFalse();
  }
}
