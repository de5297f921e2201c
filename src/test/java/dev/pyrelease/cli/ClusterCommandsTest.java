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
}
