package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.http.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TarLayers} over archives made here in both layouts Jib writes; ImageWriterRegistryTest
 * reads real ones (the test base's docker-save archive, Jib's tars).
 */
class TarLayersTest {
  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An archive of these entries, in order: a byte[] is a file, a String the target of a link. */
  private Path archive(String name, Map<String, Object> entries) throws IOException {
    Path file = tmp.resolve(name);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : entries.entrySet()) {
        if (e.getValue() instanceof String target) {
          TarArchiveEntry t = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
          t.setLinkName(target);
          tar.putArchiveEntry(t);
        } else {
          byte[] b = (byte[]) e.getValue();
          TarArchiveEntry t = new TarArchiveEntry(e.getKey());
          t.setSize(b.length);
          tar.putArchiveEntry(t);
          tar.write(b);
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private static byte[] json(Object value) throws IOException {
    return JSON.writeValueAsBytes(value);
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  @Test
  void aDockerSaveArchiveGivesItsLayersConfigEnvAndLayerFiles() throws Exception {
    String a = "a".repeat(64);
    String b = "b".repeat(64);
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("./" + a + ".tar.gz", bytes(1500));
    entries.put(b + ".tar.gz", bytes(700));
    entries.put("config.json", json(Map.of("config", Map.of("Env", List.of("LANG=C", "PATH=/x")))));
    entries.put(
        "manifest.json",
        json(
            List.of(
                Map.of(
                    "Config",
                    "./config.json",
                    "Layers",
                    List.of(a + ".tar.gz", b + ".tar.gz", "missing.tar")))));
    Path tar = archive("docker.tar", entries);

    assertThat(TarLayers.read(tar))
        .containsExactly(
            new LayerBlob("sha256:" + a, 1500),
            new LayerBlob("sha256:" + b, 700),
            new LayerBlob("sha256:missing", -1));
    assertThat(TarLayers.configEnv(tar)).containsExactly("LANG=C", "PATH=/x");
    assertThat(TarLayers.dockerSaveLayers(tar))
        .containsExactly(a + ".tar.gz", b + ".tar.gz", "missing.tar");
  }

  @Test
  void anOciArchiveGivesTheLayersOfItsManifestBlob() throws Exception {
    byte[] manifest =
        json(
            Map.of(
                "layers",
                List.of(
                    Map.of("digest", "sha256:" + "1".repeat(64), "size", 123),
                    Map.of("digest", "sha256:" + "2".repeat(64), "size", 45))));
    String digest = Digests.sha256(manifest);
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("blobs/sha256/" + "1".repeat(64), bytes(123));
    entries.put("blobs/sha256/" + digest, manifest);
    entries.put(
        "index.json", json(Map.of("manifests", List.of(Map.of("digest", "sha256:" + digest)))));
    entries.put("oci-layout", "{}".getBytes(StandardCharsets.UTF_8));
    Path tar = archive("oci.tar", entries);

    assertThat(TarLayers.read(tar))
        .containsExactly(
            new LayerBlob("sha256:" + "1".repeat(64), 123),
            new LayerBlob("sha256:" + "2".repeat(64), 45));
    assertThat(TarLayers.dockerSaveLayers(tar)).isEmpty();
    assertThatThrownBy(() -> TarLayers.configEnv(tar)).hasMessageContaining("no manifest.json");
  }

  @Test
  void anArchiveOfNeitherLayoutIsRefused() throws Exception {
    Path tar = archive("none.tar", Map.of("hello.txt", bytes(3)));
    assertThatThrownBy(() -> TarLayers.read(tar))
        .isInstanceOf(IOException.class)
        .hasMessage("neither index.json nor manifest.json in the archive");
  }

  @Test
  void theJsonFilesOfALayerAreReadWhateverTheLengthOfTheirPath() throws Exception {
    // a path past ustar's 100 characters is a PAX header's: the hand-written reader before
    // commons-compress read a truncated name
    String deep = "opt/venv/" + "d".repeat(120) + "/pyrelease-manifest.json";
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("./opt/venv/pyrelease-manifest.json", json(Map.of("k", 1)));
    entries.put(deep, json(Map.of("k", 2)));
    entries.put("opt/venv/bin/python", bytes(10));
    entries.put("opt/venv/link.json", "pyrelease-manifest.json");
    Path tar = archive("layer.tar", entries);

    Map<String, byte[]> files =
        TarLayers.jsonFiles(new ByteArrayInputStream(Files.readAllBytes(tar)));
    assertThat(files).containsOnlyKeys("opt/venv/pyrelease-manifest.json", deep);
    assertThat(JSON.readTree(files.get(deep)).get("k").asInt()).isEqualTo(2);
  }
}
