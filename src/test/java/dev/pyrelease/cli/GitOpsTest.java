package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitOpsTest {
  static ObjectMeta meta(Map<String, String> labels, Map<String, String> annotations) {
    ObjectMeta m = new ObjectMeta();
    m.setLabels(labels);
    m.setAnnotations(annotations);
    return m;
  }

  @Test
  void argoCdByItsTrackingAnnotationOrInstanceLabel() {
    assertThat(
            GitOps.of(
                meta(
                    null,
                    Map.of(
                        "argocd.argoproj.io/tracking-id",
                        "shop:pyrelease.dev/PythonRelease:web/shop"))))
        .contains(new GitOps("Argo CD", "Application shop"));
    assertThat(GitOps.of(meta(Map.of("argocd.argoproj.io/instance", "shop"), null)))
        .contains(new GitOps("Argo CD", "Application shop"));
    // app.kubernetes.io/instance is Argo CD's default tracking label, but Helm sets it too:
    // it counts with an Argo CD annotation only
    assertThat(
            GitOps.of(
                meta(
                    Map.of("app.kubernetes.io/instance", "shop"),
                    Map.of("argocd.argoproj.io/sync-options", "Prune=false"))))
        .contains(new GitOps("Argo CD", "Application shop"));
    assertThat(GitOps.of(meta(Map.of("app.kubernetes.io/instance", "shop"), null))).isEmpty();
  }

  @Test
  void fluxByItsControllersLabels() {
    assertThat(GitOps.of(meta(Map.of("kustomize.toolkit.fluxcd.io/name", "apps"), null)))
        .contains(new GitOps("Flux", "Kustomization apps"));
    assertThat(
            GitOps.of(
                meta(
                    Map.of(
                        "helm.toolkit.fluxcd.io/name", "shop",
                        "helm.toolkit.fluxcd.io/namespace", "web"),
                    null)))
        .contains(new GitOps("Flux", "HelmRelease web/shop"));
  }

  @Test
  void nothingOnAPlainObject() {
    assertThat(GitOps.of(meta(null, null))).isEmpty();
    assertThat(GitOps.of(meta(Map.of("app", "shop"), Map.of("note", "x")))).isEmpty();
  }

  @Test
  void agesAsKubectlPrintsThem() {
    Instant now = Instant.parse("2026-12-08T12:00:00Z");
    assertThat(StatusCommand.age("2026-12-08T11:59:15Z", now)).isEqualTo("45s");
    assertThat(StatusCommand.age("2026-12-08T11:48:00Z", now)).isEqualTo("12m");
    assertThat(StatusCommand.age("2026-12-08T07:00:00Z", now)).isEqualTo("5h");
    assertThat(StatusCommand.age("2026-12-05T12:00:00Z", now)).isEqualTo("3d");
    assertThat(StatusCommand.age(null, now)).isEqualTo("-");
    assertThat(StatusCommand.age("yesterday", now)).isEqualTo("-");
  }
}
