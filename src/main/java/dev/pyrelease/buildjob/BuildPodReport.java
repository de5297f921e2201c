package dev.pyrelease.buildjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a build pod's outcome: the assemble container's JSON termination message (image, digest,
 * layers) on success, or the first container that failed with its reason and message. Pure.
 *
 * <p>The kubelet keeps at most 4096 bytes of a termination message. The assemble step writes a
 * bounded result there ({@code BuildResult.toTerminationJson()}: image, digest, keys, venv step,
 * layers as {@code name/sizeBytes/uploaded}; the distributions and closure report stay in its log),
 * well under the limit. Still, a message that is not whole JSON (an older builder's full result,
 * cut at 4096 bytes) is read field by field from its start (image and digest come first; the layers
 * after them), so a truncated result still names the image.
 */
public final class BuildPodReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 600;
  private static final Pattern IMAGE = Pattern.compile("\"image\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern DIGEST =
      Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"");
  private static final Pattern LAYER =
      Pattern.compile(
          "\\{[^{}]*\"sizeBytes\"\\s*:\\s*(\\d+)\\s*,\\s*\"uploaded\"\\s*:\\s*(true|false)\\s*}");

  /**
   * A successful build's image, {@code repository@sha256:...}, and what the assemble step said
   * about its layers (null when it said nothing).
   */
  public record Image(String image, String digest, Layers layers) {
    public Image(String image, String digest) {
      this(image, digest, null);
    }
  }

  /**
   * The layers the assemble step listed: pushed now, or found in the registry. The venv layers are
   * listed only when the dependency image was built in this Job; a build on an existing dependency
   * image lists its app layer only.
   */
  public record Layers(int uploaded, int reused, long uploadedBytes) {}

  /** Which step failed, and what it said. */
  public record Failure(String container, String reason, Integer exitCode, String message) {
    public String describe() {
      StringBuilder b = new StringBuilder("container ").append(container).append(" failed");
      if (reason != null) {
        b.append(" (").append(reason);
        if (exitCode != null) {
          b.append(", exit ").append(exitCode);
        }
        b.append(')');
      }
      if (message != null && !message.isBlank()) {
        b.append(": ").append(trim(message));
      }
      return b.toString();
    }
  }

  private BuildPodReport() {}

  /** The image from the assemble step's termination message, or null when there is none yet. */
  public static Image image(List<Pod> pods, String repository) {
    for (Pod p : pods) {
      ContainerStateTerminated t = terminated(statuses(p), BuildJobBuilder.ASSEMBLE);
      if (t == null || t.getExitCode() == null || t.getExitCode() != 0 || t.getMessage() == null) {
        continue;
      }
      Image found = parse(t.getMessage(), repository);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Image parse(String message, String repository) {
    String digest;
    String image;
    Layers layers;
    try {
      JsonNode n = JSON.readTree(message);
      digest = text(n, "digest");
      image = text(n, "image");
      layers = layers(n.get("layers"));
    } catch (Exception e) {
      // not whole JSON: a truncated result, or not a result at all
      digest = group(DIGEST, message);
      image = group(IMAGE, message);
      layers = layers(message);
    }
    if (digest == null || !digest.startsWith("sha256:")) {
      return null;
    }
    if (image == null || !image.contains("@")) {
      String repo = image == null ? repository : stripTag(image);
      image = repo + "@" + digest;
    }
    return new Image(image, digest, layers);
  }

  private static Layers layers(JsonNode list) {
    if (list == null || !list.isArray()) {
      return null;
    }
    int uploaded = 0;
    int reused = 0;
    long bytes = 0;
    for (JsonNode l : list) {
      if (l.path("uploaded").asBoolean(false)) {
        uploaded++;
        bytes += l.path("sizeBytes").asLong(0);
      } else {
        reused++;
      }
    }
    return new Layers(uploaded, reused, bytes);
  }

  /** The whole layer entries in a truncated message (a cut-off last one is not counted). */
  private static Layers layers(String message) {
    int at = message.indexOf("\"layers\"");
    if (at < 0) {
      return null;
    }
    Matcher m = LAYER.matcher(message);
    m.region(at, message.length());
    int uploaded = 0;
    int reused = 0;
    long bytes = 0;
    while (m.find()) {
      if (Boolean.parseBoolean(m.group(2))) {
        uploaded++;
        bytes += Long.parseLong(m.group(1));
      } else {
        reused++;
      }
    }
    return new Layers(uploaded, reused, bytes);
  }

  private static String group(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? m.group(1) : null;
  }

  /** The first failed container (init containers first, in order), or null. */
  public static Failure failure(List<Pod> pods) {
    for (Pod p : pods) {
      for (ContainerStatus s : statuses(p)) {
        ContainerStateTerminated t = s.getState() == null ? null : s.getState().getTerminated();
        if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
          return new Failure(s.getName(), t.getReason(), t.getExitCode(), t.getMessage());
        }
      }
    }
    return null;
  }

  private static List<ContainerStatus> statuses(Pod p) {
    List<ContainerStatus> all = new ArrayList<>();
    if (p.getStatus() != null) {
      if (p.getStatus().getInitContainerStatuses() != null) {
        all.addAll(p.getStatus().getInitContainerStatuses());
      }
      if (p.getStatus().getContainerStatuses() != null) {
        all.addAll(p.getStatus().getContainerStatuses());
      }
    }
    return all;
  }

  private static ContainerStateTerminated terminated(List<ContainerStatus> all, String name) {
    for (ContainerStatus s : all) {
      if (name.equals(s.getName()) && s.getState() != null) {
        return s.getState().getTerminated();
      }
    }
    return null;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String stripTag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }

  /**
   * At most {@value #MAX_MESSAGE} characters of a failed step's message, its end: a message taken
   * from the step's log (FallbackToLogsOnError) ends with the error, after the progress lines.
   */
  static String trim(String s) {
    String one = s.strip();
    return one.length() <= MAX_MESSAGE
        ? one
        : "…" + one.substring(one.length() - MAX_MESSAGE).stripLeading();
  }
}
