package dev.pyrelease.buildjob;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a successful assemble step writes as its termination message ({@code --result-file
 * /dev/termination-log}) and the operator reads back from the pod: the image, its keys and the
 * layers. Bounded: the kubelet keeps at most {@value #MESSAGE_LIMIT} bytes of a termination
 * message, so the distributions and the closure report, whose size grows with the requirements
 * (Django's 2.9 KB, over 4 KiB at ~30 pins), are counts here; the full result is in the step's log
 * and {@code WORKSPACE/result.json}.
 *
 * <p>Image and digest come first, so {@link #read} of a message cut short still names the image.
 *
 * @param image {@code repository@sha256:...}
 * @param digest {@code sha256:...}
 * @param dependencyImage {@code repository:deps-<key>}, or null for a tar build
 * @param venvStep {@code full}, {@code app-only}, {@code skipped} or {@code rebased}
 * @param layers the first {@value #MAX_LAYERS} layers
 * @param moreLayers how many layers were left out, or null
 * @param distributions how many distributions are installed, or null
 * @param closureOk the closure check's verdict, or null
 */
@JsonPropertyOrder({
  "image",
  "digest",
  "buildKey",
  "dependencyKey",
  "dependencyImage",
  "venvStep",
  "layers",
  "moreLayers",
  "distributions",
  "closureOk"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssembleResult(
    String image,
    String digest,
    @JsonInclude(JsonInclude.Include.ALWAYS) String buildKey,
    @JsonInclude(JsonInclude.Include.ALWAYS) String dependencyKey,
    String dependencyImage,
    @JsonInclude(JsonInclude.Include.ALWAYS) String venvStep,
    List<Layer> layers,
    Integer moreLayers,
    Integer distributions,
    Boolean closureOk) {

  /** The kubelet keeps at most this many bytes of a termination message. */
  public static final int MESSAGE_LIMIT = 4096;

  /** Layers listed at most (a build has about 15). */
  static final int MAX_LAYERS = 40;

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One layer: its name, size, and whether it was pushed now or found in the registry. */
  @JsonPropertyOrder({"name", "sizeBytes", "uploaded"})
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Layer(String name, long sizeBytes, boolean uploaded) {}

  /** The result of a build, with the layer list cut at {@value #MAX_LAYERS} (and counted). */
  public static AssembleResult of(
      String image,
      String digest,
      String buildKey,
      String dependencyKey,
      String dependencyImage,
      String venvStep,
      List<Layer> layers,
      Integer distributions,
      Boolean closureOk) {
    List<Layer> all = layers == null ? List.of() : layers;
    return new AssembleResult(
        image,
        digest,
        buildKey,
        dependencyKey,
        dependencyImage,
        venvStep,
        List.copyOf(all.subList(0, Math.min(all.size(), MAX_LAYERS))),
        all.size() > MAX_LAYERS ? all.size() - MAX_LAYERS : null,
        distributions,
        closureOk);
  }

  /** One line of JSON, well under {@value #MESSAGE_LIMIT} bytes. */
  public String toMessage() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@link #toMessage()} and a newline (the build Job's {@code /dev/termination-log}). */
  public void write(Path file) throws IOException {
    Files.writeString(file, toMessage() + "\n");
  }

  /**
   * The result in a termination message, or null when it holds none (not JSON, or not an object). A
   * message cut short (a kubelet limit smaller than ours, or an older builder's full result cut at
   * 4096 bytes) gives the fields that are whole before the cut and the whole layers; a field of
   * another type (an older builder listed the distributions themselves) is left out.
   */
  public static AssembleResult read(String message) {
    ObjectNode root = JSON.createObjectNode();
    try (JsonParser p = JSON.createParser(message)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      try {
        readFields(p, root);
      } catch (JsonProcessingException e) {
        // cut off: what was whole before the cut
      }
    } catch (JsonProcessingException e) {
      return null; // not JSON
    } catch (IOException e) {
      throw new IllegalStateException(e); // a String has no I/O
    }
    return fromTree(root);
  }

  private static void readFields(JsonParser p, ObjectNode root) throws IOException {
    JsonToken t = p.nextToken();
    while (t == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      JsonNode number = null;
      if (v == JsonToken.START_ARRAY) {
        ArrayNode list = root.putArray(field);
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add((JsonNode) p.readValueAsTree());
        }
      } else if (v.isNumeric()) {
        number = p.readValueAsTree();
      } else {
        root.set(field, p.readValueAsTree());
      }
      t = p.nextToken();
      if (number != null) {
        // a number cut short ends where the message ends: kept when something follows it
        root.set(field, number);
      }
    }
  }

  private static AssembleResult fromTree(ObjectNode root) {
    while (true) {
      try {
        return JSON.treeToValue(root, AssembleResult.class);
      } catch (MismatchedInputException e) {
        if (e.getPath().isEmpty() || root.remove(e.getPath().get(0).getFieldName()) == null) {
          return null;
        }
      } catch (JsonProcessingException e) {
        return null;
      }
    }
  }
}
