package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.http.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageFiles} over docker-save archives made here: layers, whiteouts, links. */
class ImageFilesTest {
  @TempDir Path tmp;

  private final ImageFiles files =
      new ImageFiles(new RegistryHttp(RegistryCredentials.none(), false, false), null);

  /** One tar entry: a file (content), a directory (null content), or a link. */
  record Entry(String name, String content, String hardLinkTo, String symlinkTo) {
    static Entry file(String name, String content) {
      return new Entry(name, content, null, null);
    }

    static Entry dir(String name) {
      return new Entry(name, null, null, null);
    }
  }

  static byte[] layer(List<Entry> entries, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry t;
        if (e.hardLinkTo() != null) {
          t = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_LINK);
          t.setLinkName(e.hardLinkTo());
        } else if (e.symlinkTo() != null) {
          t = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
          t.setLinkName(e.symlinkTo());
        } else if (e.content() == null) {
          t = new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/");
        } else {
          t = new TarArchiveEntry(e.name());
          t.setSize(e.content().getBytes(StandardCharsets.UTF_8).length);
        }
        tar.putArchiveEntry(t);
        if (e.content() != null && e.hardLinkTo() == null && e.symlinkTo() == null) {
          tar.write(e.content().getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A docker-save archive of these layers (bottom first), every other one gzipped. */
  BaseImage archive(String name, List<List<Entry>> layers) throws IOException {
    Path file = tmp.resolve(name + ".tar");
    List<String> names = new ArrayList<>();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      // written in reverse, so that archive order is not image order
      for (int i = layers.size() - 1; i >= 0; i--) {
        boolean gz = i % 2 == 1;
        byte[] b = layer(layers.get(i), gz);
        String n = "layer" + i + (gz ? ".tar.gz" : ".tar");
        TarArchiveEntry t = new TarArchiveEntry(n);
        t.setSize(b.length);
        tar.putArchiveEntry(t);
        tar.write(b);
        tar.closeArchiveEntry();
      }
      for (int i = 0; i < layers.size(); i++) {
        names.add("layer" + i + (i % 2 == 1 ? ".tar.gz" : ".tar"));
      }
      byte[] manifest =
          new ObjectMapper()
              .writeValueAsBytes(List.of(Map.of("Config", "config.json", "Layers", names)));
      TarArchiveEntry m = new TarArchiveEntry("manifest.json");
      m.setSize(manifest.length);
      tar.putArchiveEntry(m);
      tar.write(manifest);
      tar.closeArchiveEntry();
    }
    return BaseImage.tar(file);
  }

  static final String PY = "/usr/bin/python3.11";

  @Test
  void aFileOfTheTopmostLayerThatHasItWins() throws Exception {
    List<Entry> debian =
        List.of(Entry.dir("usr"), Entry.dir("usr/bin"), Entry.file("./usr/bin/python3.11", "A"));
    List<Entry> update = List.of(Entry.file("usr/bin/python3.11", "B"));
    List<Entry> other = List.of(Entry.file("usr/bin/other", "C"));
    assertThat(files.sha256(archive("one", List.of(debian)), PY)).contains(Digests.sha256("A"));
    assertThat(files.sha256(archive("two", List.of(debian, update, other)), PY))
        .contains(Digests.sha256("B"));
    assertThat(files.sha256(archive("none", List.of(other)), PY)).isEmpty();
    assertThat(files.sha256(archive("dir", List.of(debian)), "/usr/bin")).isEmpty();
  }

  @Test
  void whiteoutsRemoveWhatLowerLayersHad() throws Exception {
    List<Entry> debian = List.of(Entry.file("usr/bin/python3.11", "A"));
    List<Entry> removed = List.of(Entry.file("usr/bin/.wh.python3.11", ""));
    List<Entry> dirRemoved = List.of(Entry.file("usr/.wh.bin", ""));
    List<Entry> opaque = List.of(Entry.file("usr/bin/.wh..wh..opq", ""));
    List<Entry> opaqueAndNew =
        List.of(Entry.file("usr/bin/.wh..wh..opq", ""), Entry.file("usr/bin/python3.11", "N"));
    assertThat(files.sha256(archive("wh", List.of(debian, removed)), PY)).isEmpty();
    assertThat(files.sha256(archive("whdir", List.of(debian, dirRemoved)), PY)).isEmpty();
    assertThat(files.sha256(archive("opq", List.of(debian, opaque)), PY)).isEmpty();
    assertThat(files.sha256(archive("opqnew", List.of(debian, opaqueAndNew)), PY))
        .contains(Digests.sha256("N"));
    List<Entry> back = List.of(Entry.file("usr/bin/python3.11", "again"));
    assertThat(files.sha256(archive("back", List.of(debian, removed, back)), PY))
        .contains(Digests.sha256("again"));
  }

  @Test
  void aHardLinkHasItsTargetsContentAndASymbolicLinkIsNotTheFile() throws Exception {
    List<Entry> hard =
        List.of(
            Entry.file("usr/bin/python3.11-real", "R"),
            new Entry("usr/bin/python3.11", null, "usr/bin/python3.11-real", null));
    List<Entry> symbolic =
        List.of(
            Entry.file("usr/local/bin/python3.11", "L"),
            new Entry("usr/bin/python3.11", null, null, "/usr/local/bin/python3.11"));
    assertThat(files.sha256(archive("hard", List.of(hard)), PY)).contains(Digests.sha256("R"));
    assertThat(files.sha256(archive("sym", List.of(symbolic)), PY)).isEmpty();
  }
}
