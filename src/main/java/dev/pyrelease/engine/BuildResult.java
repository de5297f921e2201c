package dev.pyrelease.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a build produced: the release image by digest, the layer table, the installed distributions
 * and the closure report. Serialised as the {@code --output json} document and as the assemble
 * step's WORKSPACE/result.json; the build Job's termination message is its bounded summary, {@code
 * buildjob.AssembleResult}.
 *
 * @param image {@code repository@sha256:...}
 * @param digest {@code sha256:...}
 * @param buildKey the build key
 * @param dependencyKey the dependency key
 * @param dependencyImage {@code repository:deps-<key>}, or null for a tar build
 * @param venvStep {@code full}, {@code app-only}, {@code skipped}, or {@code rebased} (the previous
 *     dependency image's distribution layers kept on a patched base with the same interpreter: no
 *     pip, a new venv skeleton, the shared-library check on the new base)
 * @param venvReason why the venv step took a full path where a rebase was possible (the interpreter
 *     changed, ...), or null
 * @param baseImage the base the image was built on, pinned to its digest (as given for a tar base)
 * @param layers our layers: the venv layers (when the dependency image was built now) and the app
 * @param distributions the installed distributions with their wheels' sha256
 * @param closure the closure report
 * @param tags tags written (only the release's immutable {@code build-<key>} tag)
 * @param sbom where the image's CycloneDX SBOM is, or null (an image without a venv has none)
 */
@JsonPropertyOrder({
  "image",
  "digest",
  "buildKey",
  "dependencyKey",
  "dependencyImage",
  "venvStep",
  "venvReason",
  "baseImage",
  "tags",
  "layers",
  "distributions",
  "closure",
  "sbom"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildResult(
    String image,
    String digest,
    String buildKey,
    String dependencyKey,
    String dependencyImage,
    String venvStep,
    String venvReason,
    String baseImage,
    List<String> tags,
    List<Layer> layers,
    List<Distribution> distributions,
    Closure closure,
    SbomFile sbom) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One of our layers: pushed now ({@code uploaded}) or already in the registry. */
  public record Layer(String name, String digest, long sizeBytes, boolean uploaded) {}

  /**
   * The image's SBOM.
   *
   * @param path its path in the image
   * @param mediaType {@code application/vnd.cyclonedx+json}
   * @param artifact the OCI artifact pushed beside the image ({@code
   *     repository:sha256-<hex>.sbom@sha256:...}), or null for a tar build
   */
  public record SbomFile(String path, String mediaType, String artifact) {}

  /** An installed distribution. */
  public record Distribution(String name, String version, String sha256) {}

  /**
   * The closure check's verdict; {@code problems} (those that fail it) and {@code ignored} (those
   * {@code spec.requirements.closure.ignore} allows, with the reason) are complete sentences.
   */
  public record Closure(boolean ok, List<String> problems, List<String> ignored) {
    public Closure {
      problems = List.copyOf(problems);
      ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    public Closure(boolean ok, List<String> problems) {
      this(ok, problems, List.of());
    }
  }

  public long uploadedBytes() {
    return layers.stream().filter(Layer::uploaded).mapToLong(Layer::sizeBytes).sum();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static BuildResult fromJson(String json) {
    try {
      return JSON.readValue(json, BuildResult.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a build result: " + e.getMessage(), e);
    }
  }

  /** One line, no indentation: a {@code --watch} document, WORKSPACE/result.json. */
  public String toCompactJson() {
    try {
      return new ObjectMapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the result as one line of JSON. */
  public void write(Path file) {
    writeText(file, toCompactJson());
  }

  private static void writeText(Path file, String json) {
    try {
      Files.writeString(file, json + "\n");
    } catch (IOException e) {
      throw BuildException.environment("cannot write the result to " + file + ": " + e);
    }
  }
}
