package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every failure a reconcile meets is on the resource within seconds, with observedGeneration:
 * terminal ones (a URL the operator refuses, a Secret without its key, a Service name taken by
 * someone else) as a condition and phase Failed, transient ones (a Secret not there yet) as a
 * condition saying when the next attempt comes — and a transient one clears when its cause does.
 * Git's own failures, with the real resolver: {@link OperatorGitErrorStatusTest}.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorErrorStatusTest extends OperatorTestBase {
  static KubernetesClient client;
  static PyreleaseOperator operator;
  static final FakeGit GIT = new FakeGit().ref("v1", sha('1'));
  static final Duration VISIBLE = Duration.ofSeconds(15);

  @BeforeAll
  static void start() {
    operator = startOperator(client, GIT);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  PythonRelease await(Kube kube, String ns, String type, String status, String reason) {
    return org.awaitility.Awaitility.await()
        .atMost(VISIBLE)
        .until(
            () -> kube.get(ns, "shop"),
            r -> r != null && r.getStatus() != null && hasCondition(r, type, status, reason));
  }

  @Test
  void aSecretThatIsNotThereYetIsRetriedAndTheReleaseGoesOnOnceItIs() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    PythonRelease r = Kube.release(ns, "shop", "v1");
    r.getSpec().getSource().getGit().setSecretRef(new SecretRef("shop-git"));
    kube.create(r);
    PythonRelease waiting = await(kube, ns, "SourceResolved", "False", "SecretNotFound");
    assertThat(condition(waiting, "SourceResolved").getMessage())
        .contains("Secret " + ns + "/shop-git does not exist (yet)")
        .contains("next attempt in");
    assertThat(waiting.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(waiting.getStatus().getPhase()).isNotEqualTo(Phase.Failed);

    secret(ns, Map.of("username", "deploy", "password", "s3cret"));
    kube.awaitJob(ns, "shop-build-r1");
    await(kube, ns, "SourceResolved", "True", "Resolved");
  }

  @Test
  void aSecretWithoutItsPasswordIsTerminalAndNamesTheKeys() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    secret(ns, Map.of("username", "deploy", "token", "s3cret"));
    PythonRelease r = Kube.release(ns, "shop", "v1");
    r.getSpec().getSource().getGit().setSecretRef(new SecretRef("shop-git"));
    kube.create(r);
    PythonRelease failed = await(kube, ns, "SourceResolved", "False", "SecretKeyMissing");
    assertThat(condition(failed, "SourceResolved").getMessage())
        .contains("has no key 'password' (its keys: token, username)")
        .doesNotContain("s3cret");
    assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
  }

  @Test
  void aBaseRegistryThatCannotBeAskedIsRetriedOnBuilt() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    PythonRelease r = Kube.release(ns, "shop", "v1");
    r.getSpec().getPython().setBaseImage("registry.test/unreachable:3.11");
    kube.create(r);
    PythonRelease waiting = await(kube, ns, "Built", "False", "RegistryUnavailable");
    assertThat(condition(waiting, "Built").getMessage())
        .contains("connection refused (fake)")
        .contains("next attempt in");
    assertThat(waiting.getStatus().getPhase()).isNotEqualTo(Phase.Failed);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void aServiceNameTakenBySomeoneElseIsTerminal() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    client
        .services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
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
    PythonRelease failed = await(kube, ns, "Ready", "False", "NameTaken");
    assertThat(condition(failed, "Ready").getMessage())
        .contains("Service " + ns + "/shop exists and is not this release's");
    assertThat(client.services().inNamespace(ns).withName("shop").get().getSpec().getSelector())
        .as("someone else's Service is left alone")
        .isNullOrEmpty();
  }

  @Test
  void aBugIsOnStatusAndItsStackTraceIsLoggedOnceNotOnEveryRetry() throws Exception {
    GIT.buggyRefs.add("buggy");
    var logs = new java.io.ByteArrayOutputStream();
    var capture = ObservabilityTest.captureLogs(logs);
    try {
      Kube kube = new Kube(client);
      String ns = freshNamespace(kube);
      kube.create(Kube.release(ns, "shop", "buggy"));
      PythonRelease failing = await(kube, ns, "Degraded", "True", "ReconcileError");
      assertThat(condition(failing, "Degraded").getMessage())
          .contains("IllegalStateException: a bug (fake) resolving buggy")
          .contains("next attempt in");
      // 200 ms, 400 ms, 800 ms, 1.6 s: several retries within a few seconds
      org.awaitility.Awaitility.await()
          .atMost(VISIBLE)
          .until(() -> logs.toString().split("reconcile failed, attempt", -1).length > 4);
      String text = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text.split("at dev\\.pyrelease\\.reconciler\\.FakeGit\\.resolve", -1))
          .as("one stack trace for a bug that repeats")
          .hasSize(2);
      assertThat(text).contains("(stack trace logged at ");
    } finally {
      capture.stop();
      ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .detachAppender(capture);
      GIT.buggyRefs.clear();
    }
  }

  void secret(String ns, Map<String, String> data) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-git")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }
}
