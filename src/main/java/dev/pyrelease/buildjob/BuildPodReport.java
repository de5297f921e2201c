package dev.pyrelease.buildjob;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a build pod's outcome: the assemble container's termination message ({@link
 * AssembleResult}: image, digest, layers) on success, or the first container that failed with its
 * reason and message ({@link StepError}, venv.py's error, or a log tail). Pure. Hook pods are read
 * the same way for their failure.
 */
public final class BuildPodReport {
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
        b.append(": ").append(StepError.excerpt(message));
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
    AssembleResult r = AssembleResult.read(message);
    if (r == null || r.digest() == null || !r.digest().startsWith("sha256:")) {
      return null;
    }
    String image = r.image();
    if (image == null || !image.contains("@")) {
      String repo = image == null ? repository : stripTag(image);
      image = repo + "@" + r.digest();
    }
    return new Image(image, r.digest(), layers(r.layers()));
  }

  private static Layers layers(List<AssembleResult.Layer> list) {
    if (list == null) {
      return null;
    }
    int uploaded = 0;
    int reused = 0;
    long bytes = 0;
    for (AssembleResult.Layer l : list) {
      if (l.uploaded()) {
        uploaded++;
        bytes += l.sizeBytes();
      } else {
        reused++;
      }
    }
    return new Layers(uploaded, reused, bytes);
  }

  /**
   * Whether a pod's final state is known: it ended (phase Succeeded or Failed) or its assemble
   * container terminated. The Job controller can mark a Job complete before the kubelet's last
   * update of its pod reaches a watcher: until then the result is not "no image" but "not seen
   * yet".
   */
  public static boolean settled(List<Pod> pods) {
    for (Pod p : pods) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if ("Succeeded".equals(phase)
          || "Failed".equals(phase)
          || terminated(statuses(p), BuildJobBuilder.ASSEMBLE) != null) {
        return true;
      }
    }
    return false;
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

  private static String stripTag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }
}
