package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.WorkloadSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * The desired Deployment of one process of one revision — {@code <name>-r<N>} for web, {@code
 * <name>-r<N>-<process>} for the others: the revision's image by digest, the pod template (spec.pod
 * under the operator's hardening), the process' probes (web: TCP on its port by default). Pure: the
 * rollout stage decides replicas and the timing annotations.
 */
public final class DeploymentBuilder {
  private DeploymentBuilder() {}

  /** The web process (spec.run). */
  public static Deployment desired(
      PythonRelease release, int revision, String image, int replicas) {
    return desired(release, Workload.of(release).get(0), revision, image, replicas);
  }

  public static Deployment desired(
      PythonRelease release, Workload process, int revision, String image, int replicas) {
    WorkloadSpec spec = process.spec();
    String name = release.getMetadata().getName();
    Map<String, String> labels = Labels.process(release, revision, process.name());
    Map<String, String> selector = Labels.selector(name, revision, process.name());
    ContainerBuilder c =
        PodTemplate.container(
                release, "app", image, spec.getCommand(), spec.getEnv(), spec.getResources())
            .withLivenessProbe(spec.getLivenessProbe())
            .withStartupProbe(spec.getStartupProbe())
            .withReadinessProbe(spec.getReadinessProbe());
    if (process.web()) {
      int port = process.port();
      c.withPorts(
              new ContainerPortBuilder()
                  .withName("http")
                  .withContainerPort(port)
                  .withProtocol("TCP")
                  .build())
          .withReadinessProbe(readiness(spec, port));
    }
    Deployment d =
        new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata()
            .withName(Labels.deploymentName(name, revision, process.name()))
            .withNamespace(release.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(Labels.owner(release))
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withRevisionHistoryLimit(1)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewTemplate()
            .withMetadata(PodTemplate.metadata(release, labels))
            .withSpec(PodTemplate.spec(release, c.build(), "Always", selector))
            .endTemplate()
            .endSpec()
            .build();
    return SpecHash.annotate(d, withoutReplicas(d.getSpec()));
  }

  static Probe readiness(WorkloadSpec run, int port) {
    if (run.getReadinessProbe() != null) {
      return run.getReadinessProbe();
    }
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withPort(new IntOrString(port))
        .endTcpSocket()
        .withPeriodSeconds(5)
        .withFailureThreshold(3)
        .build();
  }

  /** The spec hashed: without replicas, which the rollout (or an autoscaler) changes. */
  private static DeploymentSpec withoutReplicas(DeploymentSpec spec) {
    DeploymentSpec copy = Serialization.clone(spec);
    copy.setReplicas(null);
    return copy;
  }
}
