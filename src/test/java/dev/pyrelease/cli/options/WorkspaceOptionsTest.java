package dev.pyrelease.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkspaceOptionsTest {
  @Test
  void jibsCacheIsCacheDirElseInTheCliCacheElseJibsDefault() {
    assertThat(WorkspaceOptions.jibCache(Path.of("/c"), Path.of("/home/u/.cache/pyrelease")))
        .isEqualTo(Path.of("/c"));
    assertThat(WorkspaceOptions.jibCache(null, Path.of("/home/u/.cache/pyrelease")))
        .isEqualTo(Path.of("/home/u/.cache/pyrelease/jib"));
    assertThat(WorkspaceOptions.jibCache(null, null)).isNull();
  }
}
