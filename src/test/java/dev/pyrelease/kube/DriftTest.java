package dev.pyrelease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** What counts as drift: a changed or dropped value we set; not a default the server added. */
class DriftTest {
  static Deployment desired() {
    Deployment d = DeploymentBuilder.desired(ReleaseFixture.shop(), 3, BuildersTest.IMAGE, 2);
    d.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setResources(
            new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1000m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("0.5Gi"))
                .build());
    return d;
  }

  @Test
  void defaultsAndTheServersOwnSpellingAreNotDrift() {
    Deployment live = Serialization.clone(desired());
    var pod = live.getSpec().getTemplate().getSpec();
    pod.setDnsPolicy("ClusterFirst");
    pod.getContainers().get(0).setImagePullPolicy("IfNotPresent");
    pod.getContainers().get(0).setTerminationMessagePath("/dev/termination-log");
    pod.getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("cpu", new io.fabric8.kubernetes.api.model.Quantity("1"));
    pod.getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("memory", new io.fabric8.kubernetes.api.model.Quantity("512Mi"));
    pod.getSecurityContext().getSeccompProfile().setLocalhostProfile(null);
    assertThat(Drift.of(desired().getSpec().getTemplate(), live.getSpec().getTemplate())).isEmpty();
  }

  @Test
  void aChangedImageCommandOrEnvIsDriftAtItsPath() {
    Deployment live = Serialization.clone(desired());
    var c = live.getSpec().getTemplate().getSpec().getContainers().get(0);
    c.setImage("registry.internal/web/shop:hotfix");
    c.setCommand(java.util.List.of("sleep", "infinity"));
    c.getSecurityContext().setReadOnlyRootFilesystem(false);
    assertThat(Drift.of(desired().getSpec().getTemplate(), live.getSpec().getTemplate()))
        .containsExactly(
            "spec.containers[0].command",
            "spec.containers[0].image",
            "spec.containers[0].securityContext.readOnlyRootFilesystem");
  }
}
