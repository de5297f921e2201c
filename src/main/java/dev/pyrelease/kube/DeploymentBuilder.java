package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RunSpec;
import dev.pyrelease.http.Digests;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * The desired Deployment of one revision, {@code <name>-r<N>}: the image by digest, non-root, a
 * read-only root filesystem with an emptyDir at /tmp, and a readiness probe (the spec's, or TCP on
 * the port). Pure: the rollout stage decides replicas and the timing annotations.
 */
public final class DeploymentBuilder {
  /** A numeric non-root user, so runAsNonRoot holds whatever the image's USER says. */
  static final long RUN_AS_USER = 65532L;

  private DeploymentBuilder() {}

  public static Deployment desired(
      PythonRelease release, int revision, String image, int replicas) {
    RunSpec run = release.getSpec().getRun();
    String name = release.getMetadata().getName();
    int port = run.getPort() == null ? 8000 : run.getPort();
    Map<String, String> labels = Labels.revision(release, revision);
    Deployment d =
        new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata()
            .withName(Labels.deploymentName(name, revision))
            .withNamespace(release.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(Labels.owner(release))
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withRevisionHistoryLimit(1)
            .withNewSelector()
            .withMatchLabels(Labels.selector(name, revision))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(RUN_AS_USER)
            .withRunAsGroup(RUN_AS_USER)
            .withFsGroup(RUN_AS_USER)
            .withNewSeccompProfile("", "RuntimeDefault")
            .endSecurityContext()
            .withContainers(
                new ContainerBuilder()
                    .withName("app")
                    .withImage(image)
                    .withCommand(run.getCommand())
                    .withEnv(run.getEnv() == null ? List.of() : run.getEnv())
                    .withResources(run.getResources())
                    .withPorts(
                        new ContainerPortBuilder()
                            .withName("http")
                            .withContainerPort(port)
                            .withProtocol("TCP")
                            .build())
                    .withReadinessProbe(readiness(run, port))
                    .withSecurityContext(Hardening.container())
                    .withVolumeMounts(Hardening.tmpMount())
                    .build())
            .withVolumes(Hardening.tmpVolume())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    d.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    d.getMetadata().getAnnotations().put(Labels.SPEC_HASH, specHash(d.getSpec()));
    return d;
  }

  static Probe readiness(RunSpec run, int port) {
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

  /** sha256 of the spec without replicas: a change means the Deployment must be updated. */
  public static String specHash(DeploymentSpec spec) {
    DeploymentSpec copy = Serialization.clone(spec);
    copy.setReplicas(null);
    return Digests.sha256(Serialization.asJson(copy)).substring(0, 32);
  }
}
