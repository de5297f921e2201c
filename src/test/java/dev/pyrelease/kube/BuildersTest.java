package dev.pyrelease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.Hook;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Deployment, Service and hook Job builders, without a server. */
class BuildersTest {
  static final String IMAGE = "registry.internal/web/shop@sha256:" + "a".repeat(64);

  @Test
  void deploymentPerRevisionRunsTheDigestNonRootReadOnly() {
    Deployment d = DeploymentBuilder.desired(ReleaseFixture.shop(), 7, IMAGE, 3);
    assertThat(d.getMetadata().getName()).isEqualTo("shop-r7");
    assertThat(d.getMetadata().getLabels())
        .containsEntry(Labels.RELEASE, "shop")
        .containsEntry(Labels.REVISION, "7");
    assertThat(d.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsExactlyEntriesOf(Labels.selector("shop", 7, Labels.WEB));
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(IMAGE);
    assertThat(c.getCommand()).containsExactly("gunicorn", "shop.wsgi", "-b", "0.0.0.0:8000");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(c.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8000);
  }

  @Test
  void specsReadinessProbeWinsAndSpecHashIgnoresReplicas() {
    var r = ReleaseFixture.shop();
    r.getSpec()
        .getRun()
        .setReadinessProbe(
            new ProbeBuilder().withNewHttpGet().withPath("/healthz").endHttpGet().build());
    Deployment a = DeploymentBuilder.desired(r, 1, IMAGE, 3);
    Deployment b = DeploymentBuilder.desired(r, 1, IMAGE, 0);
    assertThat(
            a.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getReadinessProbe()
                .getHttpGet()
                .getPath())
        .isEqualTo("/healthz");
    assertThat(a.getMetadata().getAnnotations().get(Labels.SPEC_HASH))
        .isEqualTo(b.getMetadata().getAnnotations().get(Labels.SPEC_HASH));
    r.getSpec().getRun().setCommand(List.of("uvicorn", "shop:app"));
    assertThat(
            DeploymentBuilder.desired(r, 1, IMAGE, 3)
                .getMetadata()
                .getAnnotations()
                .get(Labels.SPEC_HASH))
        .isNotEqualTo(a.getMetadata().getAnnotations().get(Labels.SPEC_HASH));
  }

  @Test
  void serviceSelectsTheActiveRevisionWithEqualityLabels() {
    var s = ServiceBuilder.desired(ReleaseFixture.shop(), 4);
    assertThat(s.getMetadata().getName()).isEqualTo("shop");
    assertThat(s.getSpec().getSelector())
        .containsExactlyEntriesOf(Labels.selector("shop", 4, Labels.WEB));
    assertThat(ServiceBuilder.selectedRevision(s)).isEqualTo(4);
    assertThat(s.getSpec().getPorts().get(0).getPort()).isEqualTo(8000);
  }

  @Test
  void hookJobRunsOnceInTheNewImage() {
    Hook h = new Hook();
    h.setName("migrate");
    h.setCommand(List.of("python", "manage.py", "migrate"));
    var j = HookJobBuilder.desired(ReleaseFixture.shop(), 3, IMAGE, h);
    assertThat(j.getMetadata().getName()).isEqualTo("shop-r3-migrate");
    assertThat(j.getMetadata().getLabels())
        .containsEntry(Labels.HOOK, "migrate")
        .containsEntry(Labels.REVISION, "3")
        .containsEntry(Labels.RELEASE, "shop");
    assertThat(j.getSpec().getBackoffLimit()).isZero();
    var c = j.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(IMAGE);
    assertThat(c.getCommand()).containsExactly("python", "manage.py", "migrate");
    assertThat(j.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
  }
}
