package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.kube.ReleaseFixture;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** history and rollback against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class ClusterCommandsTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeAll
  static void crd() throws Exception {
    try (var in = new FileInputStream("crds/pythonreleases.pyrelease.dev-v1.yml")) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
          .create();
    }
  }

  int run(String... args) {
    return new Cli(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), () -> client)
        .run(args);
  }

  static RevisionStatus rev(int n, RevisionState state, String image) {
    RevisionStatus r = new RevisionStatus();
    r.setNumber(n);
    r.setState(state);
    r.setCommit(String.valueOf(n).repeat(40));
    r.setImage(image);
    r.setBuiltAt("2026-01-0" + n + "T00:00:00Z");
    if (image != null) {
      r.setBaseImage("registry.internal/python:3.11@sha256:" + Integer.toString(n).repeat(64));
    }
    return r;
  }

  PythonRelease releaseWithHistory(String name) {
    PythonRelease r = ReleaseFixture.shop();
    r.getMetadata().setName(name);
    r.getMetadata().setUid(null);
    r = client.resource(r).create();
    PythonReleaseStatus s = new PythonReleaseStatus();
    s.setCurrentRevision(2);
    s.setRevisions(
        List.of(
            rev(3, RevisionState.Failed, null),
            rev(2, RevisionState.Active, "registry.internal/web/shop@sha256:" + "b".repeat(64)),
            rev(1, RevisionState.Retired, "registry.internal/web/shop@sha256:" + "a".repeat(64))));
    r.setStatus(s);
    return client.resource(r).updateStatus();
  }

  @Test
  void historyPrintsTheRevisionsTable() {
    releaseWithHistory("hist");
    assertThat(run("history", "hist", "-n", "web")).isZero();
    String[] lines = out.toString().split("\n");
    assertThat(lines[0])
        .startsWith("REVISION")
        .contains("STATE", "COMMIT", "IMAGE", "BASE", "BUILT AT");
    assertThat(lines[1]).contains("3").contains("Failed").contains(" - ");
    assertThat(lines[2])
        .startsWith("*2")
        .contains("Active")
        .contains("222222222222")
        .contains("sha256:bbbb")
        .as("the base each revision runs on")
        .contains("sha256:222222222222 ");
    assertThat(lines[3]).contains("Retired").contains("2026-01-01T00:00:00Z");
  }

  @Test
  void historyOfAMissingReleaseIsAnInputError() {
    assertThat(run("history", "nope", "-n", "web")).isEqualTo(1);
    assertThat(err.toString()).contains("no PythonRelease web/nope");
  }

  @Test
  void rollbackPatchesOnlySpecRevision() {
    PythonRelease before = releaseWithHistory("rb");
    assertThat(run("rollback", "rb", "--to", "1", "-n", "web")).isZero();
    PythonRelease after =
        client.resources(PythonRelease.class).inNamespace("web").withName("rb").get();
    assertThat(after.getSpec().getRevision()).isEqualTo(1);
    after.getSpec().setRevision(null);
    assertThat(Serialization.asJson(after.getSpec()))
        .isEqualTo(Serialization.asJson(before.getSpec()));
    assertThat(after.getStatus()).isEqualTo(before.getStatus());
    assertThat(out.toString()).contains("spec.revision set to 1");

    // a second rollback replaces the value
    assertThat(run("rollback", "rb", "--to", "2", "-n", "web")).isZero();
    assertThat(
            client
                .resources(PythonRelease.class)
                .inNamespace("web")
                .withName("rb")
                .get()
                .getSpec()
                .getRevision())
        .isEqualTo(2);
  }

  @Test
  void rollbackToARevisionNotRetainedIsRefused() {
    releaseWithHistory("nr");
    assertThat(run("rollback", "nr", "--to", "3", "-n", "web")).isEqualTo(1);
    assertThat(err.toString()).contains("revision 3 is not retained").contains("retained: 2, 1");
    assertThat(
            client
                .resources(PythonRelease.class)
                .inNamespace("web")
                .withName("nr")
                .get()
                .getSpec()
                .getRevision())
        .isNull();
  }

  PythonRelease managed(String name, Map<String, String> labels, Map<String, String> annotations) {
    PythonRelease r = ReleaseFixture.shop();
    r.getMetadata().setName(name);
    r.getMetadata().setUid(null);
    r.getMetadata().setLabels(labels);
    r.getMetadata().setAnnotations(annotations);
    r = client.resource(r).create();
    PythonReleaseStatus s = new PythonReleaseStatus();
    s.setCurrentRevision(2);
    s.setRevisions(
        List.of(
            rev(2, RevisionState.Active, "registry.internal/web/shop@sha256:" + "b".repeat(64)),
            rev(1, RevisionState.Retired, "registry.internal/web/shop@sha256:" + "a".repeat(64))));
    r.setStatus(s);
    return client.resource(r).updateStatus();
  }

  Integer pinned(String name) {
    return client
        .resources(PythonRelease.class)
        .inNamespace("web")
        .withName(name)
        .get()
        .getSpec()
        .getRevision();
  }

  @Test
  void rollbackUnderArgoCdPrintsWhatToCommitAndPatchesNothingUnlessForced() {
    managed(
        "argo",
        Map.of("app.kubernetes.io/instance", "shop"),
        Map.of("argocd.argoproj.io/tracking-id", "shop-prod:pyrelease.dev/PythonRelease:web/argo"));
    assertThat(run("rollback", "argo", "--to", "1", "-n", "web")).isEqualTo(1);
    assertThat(err.toString())
        .contains("web/argo is managed by Argo CD (Application shop-prod)")
        .contains("put back at its next sync")
        .contains("  spec:\n    revision: 1\n")
        .contains("--force");
    assertThat(out.toString()).isEmpty();
    assertThat(pinned("argo")).isNull();

    assertThat(run("rollback", "argo", "--to", "1", "-n", "web", "--force")).isZero();
    assertThat(pinned("argo")).isEqualTo(1);
    assertThat(err.toString()).contains("--force: Argo CD (Application shop-prod) may put");
  }

  @Test
  void rollbackUnderFluxPrintsWhatToCommit() {
    managed(
        "flux",
        Map.of(
            "kustomize.toolkit.fluxcd.io/name", "apps",
            "kustomize.toolkit.fluxcd.io/namespace", "flux-system"),
        Map.of());
    assertThat(run("rollback", "flux", "--to", "1", "-n", "web")).isEqualTo(1);
    assertThat(err.toString())
        .contains("managed by Flux (Kustomization flux-system/apps)")
        .contains("while the Kustomization is suspended");
    assertThat(pinned("flux")).isNull();
  }

  @Test
  void statusShowsPhaseServingManagerAndRevisionsWithAge() {
    managed("st", Map.of("helm.toolkit.fluxcd.io/name", "shop"), Map.of());
    assertThat(run("status", "st", "-n", "web")).isZero();
    String[] lines = out.toString().split("\n");
    assertThat(lines[0])
        .startsWith("web/st")
        .contains("serving: r2", "(following the latest build)");
    assertThat(out.toString()).contains("managed by: Flux (HelmRelease shop)");
    int header =
        List.of(lines)
            .indexOf(
                List.of(lines).stream()
                    .filter(l -> l.startsWith("REVISION"))
                    .findFirst()
                    .orElseThrow());
    assertThat(lines[header]).contains("STATE", "COMMIT", "IMAGE", "AGE");
    assertThat(lines[header + 1])
        .startsWith("*2")
        .contains("Active", "222222222222", "sha256:bbbb")
        .matches(".*\\s\\d+d$");
    assertThat(lines[header + 2]).startsWith(" 1").contains("Retired");
  }

  @Test
  void statusOfAMissingReleaseIsAnInputError() {
    assertThat(run("status", "nope", "-n", "web")).isEqualTo(1);
    assertThat(err.toString()).contains("no PythonRelease web/nope");
  }
}
