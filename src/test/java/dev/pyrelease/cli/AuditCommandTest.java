package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.kube.ReleaseFixture;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pyrelease audit on the mock API server: several releases in several namespaces, revisions in
 * every state, some recorded before distributions were kept.
 */
@EnableKubernetesMockClient(crud = true)
class AuditCommandTest {
  static KubernetesClient client;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeAll
  static void fleet() throws Exception {
    try (var in = new FileInputStream("crds/pythonreleases.pyrelease.dev-v1.yml")) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
          .create();
    }
    // web/shop serves r3 (django 5.2.17); r2 (5.2.16) is retained for rollback; r4 failed
    release(
        "web",
        "shop",
        3,
        rev(4, RevisionState.Failed, false, "django==5.2.18", "gunicorn==26.2.0"),
        rev(3, RevisionState.Active, true, "django==5.2.17", "gunicorn==26.2.0"),
        rev(2, RevisionState.Retired, true, "django==5.2.16", "gunicorn==26.2.0"));
    // web/blog serves 5.2.16; its r1 predates recorded distributions
    release(
        "web",
        "blog",
        2,
        rev(2, RevisionState.Active, true, "Django==5.2.16", "sqlparse==0.5.3"),
        rev(1, RevisionState.Retired, true));
    // api/orders: no Django at all
    release("api", "orders", 1, rev(1, RevisionState.Active, true, "flask==3.1.0"));
    // api/admin: Django 5.2.16 as standby
    release(
        "api",
        "admin",
        1,
        rev(2, RevisionState.Standby, true, "django==5.2.16"),
        rev(1, RevisionState.Active, true, "django==5.2.17"));
  }

  static RevisionStatus rev(int n, RevisionState state, boolean image, String... dists) {
    RevisionStatus r = new RevisionStatus();
    r.setNumber(n);
    r.setState(state);
    r.setCommit(String.valueOf(n).repeat(40));
    if (image) {
      r.setImage("registry.internal/app@sha256:" + String.valueOf(n).repeat(64));
    }
    if (dists.length > 0) {
      r.setDistributions(List.of(dists));
    }
    return r;
  }

  static void release(String ns, String name, int current, RevisionStatus... revisions) {
    PythonRelease r = ReleaseFixture.shop();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace(ns);
    r.getMetadata().setUid(null);
    r = client.resource(r).create();
    PythonReleaseStatus s = new PythonReleaseStatus();
    s.setCurrentRevision(current);
    s.setRevisions(new ArrayList<>(List.of(revisions)));
    r.setStatus(s);
    client.resource(r).updateStatus();
  }

  int run(String... args) {
    return new Cli(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), () -> client)
        .run(args);
  }

  List<String> lines() {
    return List.of(out.toString().split("\n"));
  }

  @Test
  void everyNamespaceEveryRetainedRevisionOfOneVersion() {
    assertThat(run("audit", "Django==5.2.16", "-A")).isZero();
    assertThat(lines().get(0))
        .startsWith("NAMESPACE")
        .contains("RELEASE", "REVISION", "STATE", "DISTRIBUTION", "IMAGE");
    assertThat(lines().subList(1, lines().size()))
        .hasSize(3)
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .startsWith("api ")
                    .contains("admin", " 2 ", "Standby", "django==5.2.16"),
            l ->
                assertThat(l).startsWith("web ").contains("blog", "*2", "Active", "django==5.2.16"),
            l ->
                assertThat(l)
                    .startsWith("web ")
                    .contains("shop", " 2 ", "Retired", "registry.internal/app@sha256:2222"));
    // blog's r1 cannot be answered: said on stderr, not guessed
    assertThat(err.toString())
        .contains("1 revision(s) have no recorded distributions")
        .contains("web/blog r1");
  }

  @Test
  void anyVersionInOneNamespaceNewestRevisionFirst() {
    assertThat(run("audit", "django", "-n", "web")).isZero();
    List<String> rows = lines().subList(1, lines().size());
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).contains("blog", "django==5.2.16");
    assertThat(rows.get(1)).contains("shop", "4", "Failed", "django==5.2.18", " -");
    assertThat(rows.get(2)).contains("shop", "*3", "django==5.2.17");
    assertThat(rows.get(3)).contains("shop", "2", "django==5.2.16");
    assertThat(out.toString()).doesNotContain("orders", "admin");
  }

  @Test
  void failOnExitsOneForARevisionThatRunsOrCanBeRolledBackTo() {
    assertThat(run("audit", "django", "-A", "--fail-on", "5.2.16,5.2.15")).isEqualTo(1);
    assertThat(err.toString()).contains("3 revision(s) install a --fail-on version of django");
    assertThat(out.toString()).contains("django==5.2.16 (fail-on)");
  }

  @Test
  void failOnAVersionOnlyAFailedBuildHasPasses() {
    // shop r4 never built an image: nothing runs 5.2.18
    assertThat(run("audit", "django", "-A", "--fail-on", "5.2.18")).isZero();
    assertThat(out.toString()).contains("django==5.2.18").doesNotContain("(fail-on)");
  }

  @Test
  void noMatchSaysSo() {
    assertThat(run("audit", "numpy", "-A", "--fail-on", "2.1.0")).isZero();
    assertThat(out.toString()).isEqualTo("no retained revision installs numpy\n");
  }

  @Test
  void jsonForScripts() throws Exception {
    assertThat(run("audit", "django==5.2.17", "-A", "--output", "json")).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString());
    assertThat(doc.path("query").asText()).isEqualTo("django==5.2.17");
    assertThat(doc.path("matches")).hasSize(2);
    assertThat(doc.path("matches").get(0).path("release").asText()).isEqualTo("admin");
    assertThat(doc.path("matches").get(0).path("serving").asBoolean()).isTrue();
    assertThat(doc.path("matches").get(1).path("release").asText()).isEqualTo("shop");
    assertThat(doc.path("unrecorded").get(0).path("revision").asInt()).isEqualTo(1);
    assertThat(doc.path("failed").asBoolean()).isFalse();
  }

  @Test
  void badInputIsOneLine() {
    assertThat(run("audit", "django==not a version", "-A")).isEqualTo(1);
    assertThat(err.toString()).contains("pyrelease audit: 'django==not a version'");
    assertThat(run("audit", "django", "-A", "-n", "web")).isEqualTo(2);
    assertThat(err.toString()).contains("-A and -n exclude each other");
  }
}
