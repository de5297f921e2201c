package dev.pyrelease.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.build.BuildJobBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a build pod's outcome: the assemble container's JSON termination message (image and digest)
 * on success, or the first container that failed with its reason and message. Pure.
 */
public final class BuildPodReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 600;

  /** A successful build's image, {@code repository@sha256:...}. */
  public record Image(String image, String digest) {}

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
      try {
        JsonNode n = JSON.readTree(t.getMessage());
        String digest = text(n, "digest");
        String image = text(n, "image");
        if (digest == null || !digest.startsWith("sha256:")) {
          continue;
        }
        if (image == null || !image.contains("@")) {
          String repo = image == null ? repository : stripTag(image);
          image = repo + "@" + digest;
        }
        return new Image(image, digest);
      } catch (Exception e) {
        // not JSON: treated as no result; the caller reports it
      }
    }
    return null;
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

  static String trim(String s) {
    String one = s.strip();
    return one.length() <= MAX_MESSAGE ? one : one.substring(0, MAX_MESSAGE) + "…";
  }
}
