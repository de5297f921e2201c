package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SupportedTagsTest {

  private static List<String> tags(TargetPython t) {
    return t.supportedTags().stream().map(WheelTag::toString).toList();
  }

  @Test
  void cpython311OnBookwormInPipOrder() {
    List<String> tags = tags(TargetPython.linux("3.11"));
    // 36 platforms (manylinux_2_36..2_5, three legacy aliases, linux) times
    // (cp311, abi3, none, 9 older abi3, 13 py versions), plus 14 "any" tags
    assertThat(tags).hasSize(36 * 25 + 14).doesNotHaveDuplicates();
    assertThat(tags.get(0)).isEqualTo("cp311-cp311-manylinux_2_36_x86_64");
    assertThat(tags.subList(0, 36))
        .allMatch(t -> t.startsWith("cp311-cp311-"))
        .containsSubsequence(
            "cp311-cp311-manylinux_2_17_x86_64",
            "cp311-cp311-manylinux2014_x86_64",
            "cp311-cp311-manylinux_2_16_x86_64",
            "cp311-cp311-manylinux_2_12_x86_64",
            "cp311-cp311-manylinux2010_x86_64",
            "cp311-cp311-manylinux_2_5_x86_64",
            "cp311-cp311-manylinux1_x86_64",
            "cp311-cp311-linux_x86_64");
    assertThat(tags.get(35)).isEqualTo("cp311-cp311-linux_x86_64");
    assertThat(tags.get(36)).isEqualTo("cp311-abi3-manylinux_2_36_x86_64");
    assertThat(tags.get(72)).isEqualTo("cp311-none-manylinux_2_36_x86_64");
    assertThat(tags.get(108)).isEqualTo("cp310-abi3-manylinux_2_36_x86_64");
    assertThat(tags)
        .containsSubsequence(
            "cp310-abi3-linux_x86_64",
            "cp39-abi3-manylinux_2_36_x86_64",
            "cp32-abi3-linux_x86_64",
            "py311-none-manylinux_2_36_x86_64",
            "py3-none-manylinux_2_36_x86_64",
            "py310-none-manylinux_2_36_x86_64",
            "py30-none-linux_x86_64",
            "cp311-none-any",
            "py311-none-any",
            "py3-none-any",
            "py310-none-any",
            "py30-none-any");
    assertThat(tags.get(tags.size() - 1)).isEqualTo("py30-none-any");
    assertThat(tags).noneMatch(t -> t.contains("manylinux_2_4_") || t.contains("musllinux"));
  }

  @Test
  void aarch64StartsAtGlibc217AndHasOnlyManylinux2014() {
    List<String> tags = tags(TargetPython.linux("3.12").withMachine("aarch64"));
    List<String> platforms =
        tags.stream().filter(t -> t.startsWith("cp312-cp312-")).map(t -> t.substring(12)).toList();
    assertThat(platforms).hasSize(20 + 1 + 1);
    assertThat(platforms.get(0)).isEqualTo("manylinux_2_36_aarch64");
    assertThat(platforms)
        .endsWith("manylinux_2_17_aarch64", "manylinux2014_aarch64", "linux_aarch64")
        .noneMatch(p -> p.startsWith("manylinux1") || p.startsWith("manylinux2010"));
  }

  @Test
  void muslHasMusllinuxTagsOnly() {
    List<String> tags = tags(TargetPython.linux("3.11").withMusl(1, 2));
    assertThat(tags.subList(0, 4))
        .containsExactly(
            "cp311-cp311-musllinux_1_2_x86_64",
            "cp311-cp311-musllinux_1_1_x86_64",
            "cp311-cp311-musllinux_1_0_x86_64",
            "cp311-cp311-linux_x86_64");
    assertThat(tags).noneMatch(t -> t.contains("manylinux"));
  }

  @Test
  void olderGlibcHasFewerTags() {
    List<String> tags = tags(TargetPython.linux("3.11").withGlibc(2, 17));
    assertThat(tags.get(0)).isEqualTo("cp311-cp311-manylinux_2_17_x86_64");
    assertThat(tags.get(1)).isEqualTo("cp311-cp311-manylinux2014_x86_64");
    assertThat(tags).noneMatch(t -> t.contains("manylinux_2_28"));
  }
}
