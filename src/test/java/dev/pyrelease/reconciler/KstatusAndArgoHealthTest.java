package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.HooksSpec;
import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.testing.ArgoHealth;
import dev.pyrelease.testing.Kstatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status the operator writes in each phase, read the way the platform's tools read it: kstatus'
 * generic rules (Flux {@code wait: true}, {@code kubectl wait}'s Ready) and Argo CD's health check
 * (deploy/argocd/health.lua in lua5.1). Current and Healthy only while the spec's revision serves;
 * InProgress and Progressing while building or rolling out; Failed and Degraded, with the failing
 * condition's reason and message, on a terminal failure. Each status is kept under
 * target/status-fixtures/ as the JSON the tools were given.
 */
@EnableKubernetesMockClient(crud = true)
class KstatusAndArgoHealthTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;
  static PyreleaseOperator operator;
  static final FakeGit GIT =
      new FakeGit().ref("v1", sha('1')).ref("v2", sha('2')).ref("v3", sha('3'));
  static final Path FIXTURES = Path.of("target/status-fixtures");
  Kube kube;

  @BeforeAll
  static void start() {
    operator = startOperator(client, GIT);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @BeforeEach
  void kube() {
    kube = new Kube(client);
  }

  record Seen(Kstatus.Result kstatus, ArgoHealth.Health argo, JsonNode json) {}

  /** Reads the release as the tools would, checks the rules every phase obeys, and keeps it. */
  static Seen read(String label, JsonNode json) throws IOException {
    Files.createDirectories(FIXTURES);
    Files.writeString(
        FIXTURES.resolve(label + ".json"),
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    Kstatus.Result k = Kstatus.of(json);
    ArgoHealth.Health h = ArgoHealth.of(json);
    System.out.printf(
        "%-22s phase=%-10s kstatus=%s (%s: %s) argo=%s (%s)%n",
        label,
        json.at("/status/phase").asText(),
        k.status(),
        k.reason(),
        k.message(),
        h.status(),
        h.message());

    JsonNode st = json.path("status");
    boolean observed =
        st.path("observedGeneration").asLong() == json.at("/metadata/generation").asLong();
    JsonNode pinned = json.at("/spec/revision");
    JsonNode want = pinned.isMissingNode() || pinned.isNull() ? st.path("latestRevision") : pinned;
    boolean serving =
        observed
            && "Ready".equals(st.path("phase").asText())
            && "True".equals(condition(json, "Ready").path("status").asText())
            && st.path("currentRevision").isInt()
            && st.path("currentRevision").asInt() == want.asInt();
    assertThat(k.status() == Kstatus.Status.Current)
        .as("%s: Current iff serving", label)
        .isEqualTo(serving);
    assertThat(h.status().equals("Healthy"))
        .as("%s: Healthy iff serving", label)
        .isEqualTo(serving);

    // kstatus' conditions are always both there (abnormal-true: False when nothing is wrong)
    assertThat(condition(json, "Reconciling").path("status").asText()).isIn("True", "False");
    assertThat(condition(json, "Stalled").path("status").asText()).isIn("True", "False");
    String phase = st.path("phase").asText();
    if (observed) {
      switch (phase) {
        case "Pending", "Building", "RollingOut" -> {
          assertThat(k.status()).as(label).isEqualTo(Kstatus.Status.InProgress);
          assertThat(k.reason()).as(label).isEqualTo(phase);
          assertThat(h.status()).as(label).isEqualTo("Progressing");
        }
        case "Failed" -> {
          assertThat(k.status()).as(label).isEqualTo(Kstatus.Status.Failed);
          assertThat(h.status()).as(label).isEqualTo("Degraded");
          assertThat(h.message()).as(label).contains(k.message()).startsWith(k.reason() + ": ");
        }
        default -> {
          assertThat(condition(json, "Reconciling").path("status").asText()).isEqualTo("False");
          assertThat(condition(json, "Stalled").path("status").asText()).isEqualTo("False");
        }
      }
    } else {
      assertThat(k.status()).as(label).isEqualTo(Kstatus.Status.InProgress);
      assertThat(k.reason()).isEqualTo("LatestGenerationNotObserved");
      assertThat(h.status()).as(label).isEqualTo("Progressing");
    }
    return new Seen(k, h, json);
  }

  static JsonNode condition(JsonNode json, String type) {
    for (JsonNode c : json.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static JsonNode json(PythonRelease r) throws IOException {
    return new ObjectMapper().readTree(Serialization.asJson(r));
  }

  Seen read(String label, String ns) throws IOException {
    return read(label, json(kube.get(ns, "shop")));
  }

  /** Creates shop at v1 and takes it through Building, RollingOut and Ready. */
  String serving(String prefix) throws IOException {
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "v1"));
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Building);
    Seen building = read(prefix + "-building", ns);
    assertThat(building.argo().message()).isNotBlank();
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.RollingOut);
    read(prefix + "-rolling-out", ns);
    kube.makeAvailable(ns, "shop-r1");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Ready);
    Seen ready = read(prefix + "-ready", ns);
    assertThat(ready.kstatus().status()).isEqualTo(Kstatus.Status.Current);
    assertThat(ready.argo().status()).isEqualTo("Healthy");
    return ns;
  }

  @Test
  void aReleaseIsInProgressUntilTheSpecsRevisionServesThenCurrent() throws Exception {
    String ns = serving("first");
    PythonRelease ready = kube.get(ns, "shop");
    Condition readyCond = condition(ready, "Ready");
    assertThat(readyCond.getStatus()).as("kubectl wait --for=condition=Ready").isEqualTo("True");

    // a spec edit: the API server bumps metadata.generation before the operator looks
    ObjectNode edited = (ObjectNode) json(ready);
    ((ObjectNode) edited.get("metadata"))
        .put("generation", ready.getMetadata().getGeneration() + 1);
    read("edited-not-observed", edited);

    // the new revision builds while revision 1 serves: Ready stays True, still InProgress
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    awaitRelease(
        kube,
        ns,
        "shop",
        x ->
            x.getStatus().getPhase() == Phase.Building
                && Objects.equals(
                    x.getStatus().getObservedGeneration(), x.getMetadata().getGeneration()));
    Seen building = read("second-building", ns);
    assertThat(condition(building.json(), "Ready").path("status").asText()).isEqualTo("True");
    assertThat(building.argo().status()).isEqualTo("Progressing");
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    kube.awaitDeployment(ns, "shop-r2");
    kube.makeAvailable(ns, "shop-r2");
    awaitRelease(
        kube,
        ns,
        "shop",
        x ->
            Integer.valueOf(2).equals(x.getStatus().getCurrentRevision())
                && x.getStatus().getPhase() == Phase.Ready);
    assertThat(read("second-ready", ns).argo().status()).isEqualTo("Healthy");

    // rollback: pinned to revision 1, Current once revision 1 serves again
    kube.editSpec(ns, "shop", s -> s.setRevision(1));
    awaitRelease(
        kube,
        ns,
        "shop",
        x ->
            Integer.valueOf(1).equals(x.getStatus().getCurrentRevision())
                && x.getStatus().getPhase() == Phase.Ready);
    Seen rolledBack = read("rolled-back", ns);
    assertThat(rolledBack.kstatus().status()).isEqualTo(Kstatus.Status.Current);
    assertThat(rolledBack.argo().status()).isEqualTo("Healthy");

    // the steady state writes nothing (the kstatus conditions are derived, not stamped)
    Thread.sleep(500);
    drainWrites(server);
    Thread.sleep(2000);
    assertThat(drainWrites(server)).isEmpty();
  }

  @Test
  void aFailedBuildIsStalledAndDegradedWithTheBuildsMessage() throws Exception {
    String ns = serving("build");
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.buildFails(
        ns, "shop-build-r2", "venv", "ERROR: No matching distribution found for django==5.2.1");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Failed);
    Seen failed = read("build-failed", ns);
    assertThat(failed.kstatus().reason()).isEqualTo("BuildFailed");
    assertThat(failed.argo().message()).contains("No matching distribution");
  }

  @Test
  void aFailedHookIsStalledAndDegraded() throws Exception {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    Hook migrate = new Hook();
    migrate.setName("migrate");
    migrate.setCommand(List.of("python", "manage.py", "migrate", "--noinput"));
    HooksSpec hooks = new HooksSpec();
    hooks.setPreRollout(List.of(migrate));
    r.getSpec().setHooks(hooks);
    kube.create(r);
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.awaitJob(ns, "shop-r1-migrate");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.RollingOut);
    read("hook-running", ns);
    kube.hookFinishes(ns, "shop-r1-migrate", false);
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Failed);
    Seen failed = read("hook-failed", ns);
    assertThat(failed.kstatus().reason()).isEqualTo("HookFailed");
    assertThat(failed.argo().message()).contains("hook migrate failed");
  }

  @Test
  void aMissedProgressDeadlineIsStalledAndDegraded() throws Exception {
    String ns = serving("deadline");
    kube.editSpec(
        ns,
        "shop",
        s -> {
          s.getSource().getGit().setRef("v2");
          s.getRollout().setProgressDeadlineSeconds(1);
        });
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Failed);
    Seen failed = read("deadline-exceeded", ns);
    assertThat(failed.kstatus().reason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(failed.argo().message()).contains("did not become available within 1s");

    // it comes up after all: no longer stalled, Current again
    kube.makeAvailable(ns, "shop-r2");
    awaitRelease(
        kube,
        ns,
        "shop",
        x ->
            x.getStatus().getPhase() == Phase.Ready
                && Integer.valueOf(2).equals(x.getStatus().getCurrentRevision()));
    assertThat(read("deadline-recovered", ns).kstatus().status()).isEqualTo(Kstatus.Status.Current);
  }

  @Test
  void anInvalidSpecIsStalledAndDegraded() throws Exception {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    r.getSpec().getImage().setRepository("registry.test/web/shop:latest");
    kube.create(r);
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Failed);
    Seen failed = read("invalid-spec", ns);
    assertThat(failed.kstatus().reason()).isEqualTo("InvalidSpec");
    assertThat(failed.argo().message()).contains("spec.image.repository");
  }

  @Test
  void anUnknownRefIsStalledAndDegraded() throws Exception {
    // a failure the reconciler reports through StatusBuilder.withCondition
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "nope"));
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Failed);
    Seen failed = read("unknown-ref", ns);
    assertThat(failed.kstatus().reason()).isEqualTo("UnknownRef");
    assertThat(failed.argo().message()).contains("'nope'");
  }

  @Test
  void aServiceNameTakenBySomeoneElseIsStalledAndDegraded() throws Exception {
    // a terminal failure thrown by a stage: the reconciler reports it with
    // StatusBuilder.withCondition
    String ns = freshNamespace(kube);
    client
        .services()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("shop")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();
    kube.create(Kube.release(ns, "shop", "v1"));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.makeAvailable(ns, "shop-r1");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Failed);
    Seen failed = read("name-taken", ns);
    assertThat(failed.kstatus().reason()).isEqualTo("NameTaken");
    assertThat(failed.argo().message()).contains("exists and is not this release's");
  }
}
