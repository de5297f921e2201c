package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PodOptions;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every pod the release runs in its image (process, schedule run, hook): spec.pod applied on top of
 * the operator's hardening, which it cannot weaken — the pod and container security contexts are
 * always the operator's, and /tmp is always the operator's emptyDir. Pure.
 */
public final class PodTemplate {
  private PodTemplate() {}

  /** The pod's metadata: spec.pod's labels and annotations, the operator's labels winning. */
  public static ObjectMeta metadata(PythonRelease release, Map<String, String> labels) {
    PodOptions pod = options(release);
    Map<String, String> all = new LinkedHashMap<>();
    if (pod.getLabels() != null) {
      all.putAll(pod.getLabels());
    }
    all.putAll(labels);
    ObjectMetaBuilder b = new ObjectMetaBuilder().withLabels(all);
    if (pod.getAnnotations() != null && !pod.getAnnotations().isEmpty()) {
      b.withAnnotations(new LinkedHashMap<>(pod.getAnnotations()));
    }
    return b.build();
  }

  /**
   * The pod spec around one container.
   *
   * @param selector the labels of this pod's siblings, for topology constraints that name none
   */
  public static PodSpec spec(
      PythonRelease release,
      Container container,
      String restartPolicy,
      Map<String, String> selector) {
    PodOptions pod = options(release);
    List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
    volumes.add(Hardening.tmpVolume());
    if (pod.getVolumes() != null) {
      volumes.addAll(pod.getVolumes());
    }
    PodSpecBuilder b =
        new PodSpecBuilder()
            .withRestartPolicy(restartPolicy)
            .withAutomountServiceAccountToken(
                Boolean.TRUE.equals(pod.getAutomountServiceAccountToken()))
            .withServiceAccountName(pod.getServiceAccountName())
            .withImagePullSecrets(pod.getImagePullSecrets())
            .withNodeSelector(pod.getNodeSelector())
            .withTolerations(pod.getTolerations())
            .withAffinity(pod.getAffinity())
            .withTopologySpreadConstraints(spread(pod.getTopologySpreadConstraints(), selector))
            .withPriorityClassName(pod.getPriorityClassName())
            .withTerminationGracePeriodSeconds(pod.getTerminationGracePeriodSeconds())
            // the app is not PID 1 (the pod's pause process is): a Python program that installs
            // no SIGTERM handler is then stopped by SIGTERM's default action instead of ignoring
            // it until the grace period ends and SIGKILL comes
            .withShareProcessNamespace(true)
            .withSecurityContext(Hardening.pod())
            .withContainers(container)
            .withVolumes(volumes);
    return b.build();
  }

  /**
   * The container: hardening, /tmp and spec.pod's mounts, spec.pod's env overridden by the process'
   * own, spec.pod's envFrom.
   */
  public static ContainerBuilder container(
      PythonRelease release,
      String name,
      String image,
      List<String> command,
      List<EnvVar> env,
      ResourceRequirements resources) {
    PodOptions pod = options(release);
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(Hardening.tmpMount());
    if (pod.getVolumeMounts() != null) {
      mounts.addAll(pod.getVolumeMounts());
    }
    return new ContainerBuilder()
        .withName(name)
        .withImage(image)
        .withCommand(command)
        .withEnv(env(pod.getEnv(), env))
        .withEnvFrom(pod.getEnvFrom())
        .withResources(resources)
        .withSecurityContext(Hardening.container())
        .withVolumeMounts(mounts);
  }

  /** spec.pod.env, then the process' own; a name set in both takes the process' value. */
  static List<EnvVar> env(List<EnvVar> common, List<EnvVar> own) {
    List<EnvVar> mine = own == null ? List.of() : own;
    Set<String> overridden = mine.stream().map(EnvVar::getName).collect(Collectors.toSet());
    List<EnvVar> all = new ArrayList<>();
    if (common != null) {
      common.stream().filter(e -> !overridden.contains(e.getName())).forEach(all::add);
    }
    all.addAll(mine);
    return all;
  }

  private static List<TopologySpreadConstraint> spread(
      List<TopologySpreadConstraint> given, Map<String, String> selector) {
    if (given == null) {
      return null;
    }
    return given.stream()
        .map(
            c ->
                c.getLabelSelector() != null
                    ? c
                    : new TopologySpreadConstraintBuilder(c)
                        .withLabelSelector(
                            new LabelSelectorBuilder().withMatchLabels(selector).build())
                        .build())
        .toList();
  }

  private static PodOptions options(PythonRelease release) {
    PodOptions pod = release.getSpec().getPod();
    return pod == null ? new PodOptions() : pod;
  }
}
