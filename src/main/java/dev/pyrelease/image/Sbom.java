package dev.pyrelease.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The installed distributions with their wheel hashes, as put into the image at {@code
 * /opt/venv/}{@value #FILE_NAME} (an SBOM-like record; the label {@value #LABEL} points to it).
 *
 * <p>It lives in its own tiny layer ({@link LayerPlan#SBOM}) rather than in the skeleton layer: the
 * skeleton holds ~20 MB of interpreter copies and would otherwise change, and be pushed and pulled
 * again, on every pin bump.
 *
 * @param python interpreter version the venv was built for
 * @param distributions name, version, wheel file and wheel sha256, sorted by normalised name
 */
public record Sbom(String python, List<Entry> distributions) {

  /** File name inside the venv. */
  public static final String FILE_NAME = "pyrelease-manifest.json";

  /** Image label whose value is the absolute path of the file in the image. */
  public static final String LABEL = "dev.pyrelease.manifest";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public Sbom {
    distributions = List.copyOf(distributions);
  }

  /**
   * One installed distribution.
   *
   * @param name its name (as in METADATA)
   * @param version its version
   * @param wheel the wheel it was installed from
   * @param sha256 that wheel's sha256
   */
  public record Entry(String name, String version, String wheel, String sha256) {}

  /** The record of a venv manifest's distributions. */
  public static Sbom of(VenvManifest m) {
    List<Entry> entries =
        m.distributions().stream()
            .sorted(Comparator.comparing(d -> LayerPlan.normalize(d.name())))
            .map(d -> new Entry(d.name(), d.version(), d.wheel(), d.sha256()))
            .toList();
    return new Sbom(m.python() == null ? null : m.python().version(), entries);
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IOException when the bytes are not such a record
   */
  public static Sbom parse(byte[] json) throws IOException {
    com.fasterxml.jackson.databind.JsonNode doc = JSON.readTree(json);
    if (doc == null || !"pyrelease-manifest/v1".equals(doc.path("format").asText())) {
      throw new IOException("not a " + FILE_NAME + " (format pyrelease-manifest/v1)");
    }
    List<Entry> entries = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode d : doc.path("distributions")) {
      entries.add(
          new Entry(
              d.path("name").asText(),
              d.path("version").asText(),
              d.path("wheel").asText(null),
              d.path("sha256").asText(null)));
    }
    return new Sbom(doc.path("python").asText(null), entries);
  }

  /** Deterministic JSON (sorted keys, LF, trailing newline). */
  public byte[] toJson() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", "pyrelease-manifest/v1");
    doc.put("python", python);
    doc.put(
        "distributions",
        distributions.stream()
            .map(
                e -> {
                  Map<String, Object> d = new LinkedHashMap<>();
                  d.put("name", e.name());
                  d.put("version", e.version());
                  d.put("wheel", e.wheel());
                  d.put("sha256", e.sha256());
                  return d;
                })
            .toList());
    try {
      String s = JSON.writeValueAsString(doc).replace("\r\n", "\n") + "\n";
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@value #FILE_NAME} (mode 644) into {@code dir} and returns its path. */
  public Path writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(FILE_NAME);
      Files.write(file, toJson());
      try {
        Files.setPosixFilePermissions(
            file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: LayerPlan reads whatever it has
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + FILE_NAME + " in " + dir, e);
    }
  }
}
