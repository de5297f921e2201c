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
 * step's result file (the build Job's termination message).
 *
 * @param image {@code repository@sha256:...}
 * @param digest {@code sha256:...}
 * @param buildKey the build key
 * @param dependencyKey the dependency key
 * @param dependencyImage {@code repository:deps-<key>}, or null for a tar build
 * @param venvStep {@code full}, {@code app-only} or {@code skipped}
 * @param layers our layers: the venv layers (when the dependency image was built now) and the app
 * @param distributions the installed distributions with their wheels' sha256
 * @param closure the closure report
 * @param tags tags written (only the release's immutable {@code build-<key>} tag)
 */
@JsonPropertyOrder({
  "image",
  "digest",
  "buildKey",
  "dependencyKey",
  "dependencyImage",
  "venvStep",
  "tags",
  "layers",
  "distributions",
  "closure"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildResult(
    String image,
    String digest,
    String buildKey,
    String dependencyKey,
    String dependencyImage,
    String venvStep,
    List<String> tags,
    List<Layer> layers,
    List<Distribution> distributions,
    Closure closure) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One of our layers: pushed now ({@code uploaded}) or already in the registry. */
  public record Layer(String name, String digest, long sizeBytes, boolean uploaded) {}

  /** An installed distribution. */
  public record Distribution(String name, String version, String sha256) {}

  /** The closure check's verdict; {@code problems} are complete sentences. */
  public record Closure(boolean ok, List<String> problems) {}

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

  /** One line, no indentation: for a termination message (Kubernetes keeps 4 KiB of it). */
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

  /**
   * The kubelet keeps at most this many bytes of a termination message; {@link
   * #toTerminationJson()} stays well under it.
   */
  public static final int TERMINATION_MESSAGE_LIMIT = 4096;

  /** Layers listed in a termination result at most (a build has about 15). */
  static final int TERMINATION_MAX_LAYERS = 40;

  /**
   * The bounded result for a termination message: image, digest, buildKey, dependencyKey,
   * dependencyImage, venvStep and the layers as {@code [name, uploaded, sizeBytes]} objects — no
   * distributions, closure or layer digests, whose size grows with the requirements (Django's 2.9
   * KB, over 4 KiB at ~30 pins). The full result goes to stdout (the step's log) and {@code
   * WORKSPACE/result.json}. Field order matches the full result's (image and digest first), so a
   * reader that copes with truncation reads both the same way.
   */
  public String toTerminationJson() {
    ObjectMapper m = new ObjectMapper();
    var root = m.createObjectNode();
    root.put("image", image);
    root.put("digest", digest);
    root.put("buildKey", buildKey);
    root.put("dependencyKey", dependencyKey);
    if (dependencyImage != null) {
      root.put("dependencyImage", dependencyImage);
    }
    root.put("venvStep", venvStep);
    var list = root.putArray("layers");
    List<Layer> all = layers == null ? List.of() : layers;
    for (Layer l : all.subList(0, Math.min(all.size(), TERMINATION_MAX_LAYERS))) {
      list.addObject()
          .put("name", l.name())
          .put("sizeBytes", l.sizeBytes())
          .put("uploaded", l.uploaded());
    }
    if (all.size() > TERMINATION_MAX_LAYERS) {
      root.put("moreLayers", all.size() - TERMINATION_MAX_LAYERS);
    }
    if (distributions != null) {
      root.put("distributions", distributions.size());
    }
    if (closure != null) {
      root.put("closureOk", closure.ok());
    }
    try {
      return m.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@link #toTerminationJson()} (the build Job's {@code /dev/termination-log}). */
  public void writeTermination(Path file) {
    writeText(file, toTerminationJson());
  }

  private static void writeText(Path file, String json) {
    try {
      Files.writeString(file, json + "\n");
    } catch (IOException e) {
      throw BuildException.environment("cannot write the result to " + file + ": " + e);
    }
  }
}
