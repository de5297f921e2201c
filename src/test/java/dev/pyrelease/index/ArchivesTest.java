package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
  @TempDir Path tmp;

  @Test
  void tarFormats() throws Exception {
    for (String format : new String[] {"--format=gnu", "--format=pax", "--format=ustar"}) {
      Path dir = Files.createDirectories(tmp.resolve(format.substring(9)));
      Path tgz =
          Fixtures.tarSdist(
              dir, "p", "1.0", Fixtures.metadata("p", "1.0", "Summary: " + format), format);
      assertThat(Archives.readMetadata(tgz, tgz.getFileName().toString(), tgz.toUri().toString()))
          .contains("Summary: " + format);
    }
  }

  @Test
  void longTopDirectoryNames() throws Exception {
    String name = "a_really_long_project_name_that_keeps_going_and_going_well_past_the_limit";
    String version = "1.0.0.post123456789012345678901234567890";
    for (String format : new String[] {"--format=gnu", "--format=pax"}) {
      Path dir = Files.createDirectories(tmp.resolve(format.substring(9)));
      Path tgz = Fixtures.tarSdist(dir, name, version, Fixtures.metadata(name, version), format);
      assertThat(Archives.readMetadata(tgz, tgz.getFileName().toString(), "x"))
          .contains("Name: " + name);
    }
  }

  @Test
  void wheelWithoutMetadataAndUnknownFormats() throws Exception {
    Path notWheel = Fixtures.zipSdist(tmp, "w", "1.0", "x");
    Path renamed = Files.move(notWheel, tmp.resolve("w-1.0-py3-none-any.whl"));
    assertThatThrownBy(() -> Archives.readMetadata(renamed, renamed.getFileName().toString(), "u"))
        .isInstanceOfSatisfying(
            IndexException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IndexException.Kind.INVALID);
              assertThat(e.getMessage())
                  .contains("no single *.dist-info/METADATA in w-1.0-py3-none-any.whl");
            });
    Path garbage = Files.writeString(tmp.resolve("g-1.0.tar.gz"), "not gzip");
    assertThatThrownBy(() -> Archives.readMetadata(garbage, "g-1.0.tar.gz", "u"))
        .isInstanceOfSatisfying(
            IndexException.class, e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.INVALID));
    assertThatThrownBy(() -> Archives.readMetadata(garbage, "g-1.0.tar.bz2", "u"))
        .hasMessageContaining("unsupported archive format");
    assertThatThrownBy(() -> Archives.readMetadata(tmp.resolve("missing.whl"), "missing.whl", "u"))
        .isInstanceOfSatisfying(
            IndexException.class,
            e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE));
  }
}
