package dev.pyrelease.buildjob;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;

/** Build pods as the kubelet reports them, for reading them back without a cluster. */
public final class PodStatuses {
  private PodStatuses() {}

  public static ContainerStatus done(String name, int exit, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason(reason)
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }

  public static Pod pod(List<ContainerStatus> init, List<ContainerStatus> main) {
    return new PodBuilder()
        .withNewStatus()
        .withInitContainerStatuses(init)
        .withContainerStatuses(main)
        .endStatus()
        .build();
  }

  /**
   * A build pod whose step {@code step} ended with {@code exit} and this termination message, the
   * steps before it done.
   */
  public static Pod endedAt(String step, int exit, String message) {
    ContainerStatus last = done(step, exit, exit == 0 ? "Completed" : "Error", message);
    ContainerStatus source = done(BuildJobBuilder.SOURCE, 0, "Completed", null);
    ContainerStatus venv = done(BuildJobBuilder.VENV, 0, "Completed", null);
    return switch (step) {
      case BuildJobBuilder.SOURCE -> pod(List.of(last), List.of());
      case BuildJobBuilder.VENV -> pod(List.of(source, last), List.of());
      default -> pod(List.of(source, venv), List.of(last));
    };
  }
}
