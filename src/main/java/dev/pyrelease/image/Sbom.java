package dev.pyrelease.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The image's software bill of materials: the installed distributions (version, wheel, wheel
 * sha256, the layers holding their files) and the base image, written as CycloneDX JSON ({@link
 * CycloneDxSbom}) at {@code /opt/venv/}{@value #FILE_NAME}; the label {@value #LABEL} names that
 * path.
 *
 * <p>It lives in its own tiny layer ({@link LayerPlan#SBOM}) rather than in the skeleton layer: the
 * skeleton holds ~20 MB of interpreter copies and would otherwise change, and be pushed and pulled
 * again, on every pin bump.
 *
 * @param python interpreter version the venv was built for
 * @param base the base image, or null when unknown
 * @param distributions sorted by normalised name
 */
public record Sbom(String python, Base base, List<Entry> distributions) {

  /** File name inside the venv. */
  public static final String FILE_NAME = "sbom.cdx.json";

  /** Image label whose value is the absolute path of the file in the image. */
  public static final String LABEL = "dev.pyrelease.sbom";

  /** The media type of the file, and of the OCI artifact pushed beside the image. */
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

  public Sbom {
    distributions = List.copyOf(distributions);
  }

  /**
   * The base image as built on.
   *
   * @param image its reference as given ({@code registry/repository:tag}, possibly {@code @sha256})
   * @param digest its manifest digest ({@code sha256:...}), or null when unknown
   */
  public record Base(String image, String digest) {}

  /**
   * One installed distribution.
   *
   * @param name its name (as in METADATA)
   * @param version its version
   * @param wheel the wheel it was installed from
   * @param sha256 that wheel's sha256
   * @param layers the digests of the image layers holding its files (usually one)
   */
  public record Entry(
      String name, String version, String wheel, String sha256, List<String> layers) {
    public Entry {
      layers = layers == null ? List.of() : List.copyOf(layers);
    }
  }

  /**
   * The SBOM of a venv manifest's distributions.
   *
   * @param layersOf the layer digests holding a distribution's files
   */
  public static Sbom of(
      VenvManifest m, Base base, Function<VenvManifest.Distribution, List<String>> layersOf) {
    List<Entry> entries =
        m.distributions().stream()
            .sorted(Comparator.comparing(d -> LayerPlan.normalize(d.name())))
            .map(d -> new Entry(d.name(), d.version(), d.wheel(), d.sha256(), layersOf.apply(d)))
            .toList();
    return new Sbom(m.python() == null ? null : m.python().version(), base, entries);
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IOException when the bytes are not a CycloneDX document
   */
  public static Sbom parse(byte[] json) throws IOException {
    return CycloneDxSbom.read(json);
  }

  /** Deterministic CycloneDX JSON (no timestamp; the serial number is derived from the content). */
  public byte[] toJson() {
    return CycloneDxSbom.write(this);
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
