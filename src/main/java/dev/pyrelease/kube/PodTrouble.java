package dev.pyrelease.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why pods cannot start, as the kubelet and the scheduler say it: an image that cannot be pulled, a
 * container config that cannot be made (a missing Secret or key), a crash loop, no node that fits.
 * Read from the pods' status, so a stuck build or rollout is named within seconds instead of at its
 * deadline. Pure.
 */
public final class PodTrouble {
  /** Waiting reasons that do not go away by waiting a little. */
  static final Set<String> STUCK =
      Set.of(
          "ImagePullBackOff",
          "ErrImagePull",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError",
          "CrashLoopBackOff");

  private PodTrouble() {}

  /** The first reason one of the pods is stuck, e.g. "container venv: ImagePullBackOff (…)". */
  public static Optional<String> of(List<Pod> pods) {
    for (Pod p : pods) {
      if (p.getStatus() == null) {
        continue;
      }
      List<ContainerStatus> all = new ArrayList<>();
      if (p.getStatus().getInitContainerStatuses() != null) {
        all.addAll(p.getStatus().getInitContainerStatuses());
      }
      if (p.getStatus().getContainerStatuses() != null) {
        all.addAll(p.getStatus().getContainerStatuses());
      }
      for (ContainerStatus c : all) {
        var waiting = c.getState() == null ? null : c.getState().getWaiting();
        if (waiting != null && STUCK.contains(waiting.getReason())) {
          String message = waiting.getMessage();
          return Optional.of(
              "container "
                  + c.getName()
                  + ": "
                  + waiting.getReason()
                  + (message == null || message.isBlank() ? "" : " (" + message + ")"));
        }
      }
      if (p.getStatus().getConditions() != null) {
        for (PodCondition c : p.getStatus().getConditions()) {
          if ("PodScheduled".equals(c.getType())
              && "False".equals(c.getStatus())
              && "Unschedulable".equals(c.getReason())) {
            return Optional.of(
                "pod "
                    + p.getMetadata().getName()
                    + " cannot be scheduled"
                    + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
          }
        }
      }
    }
    return Optional.empty();
  }
}
