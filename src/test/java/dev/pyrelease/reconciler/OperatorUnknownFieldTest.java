package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upgrades in either order: a release carrying a spec field this operator does not know (a newer
 * CRD installed first, or a field added by hand) must not stop the operator; it reconciles with a
 * condition naming the ignored field, and every other release keeps reconciling.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorUnknownFieldTest extends OperatorTestBase {
  static KubernetesClient client;
  static PyreleaseOperator operator;
  static final FakeGit GIT = new FakeGit().ref("v1", sha('1'));

  @BeforeAll
  static void start() {
    operator = startOperator(client, GIT);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void aFieldFromANewerCrdIsIgnoredAndNamedWhileOtherReleasesGoOn() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    // as a newer CRD would let through: spec.canary and spec.run.warmup are unknown here
    @SuppressWarnings("unchecked")
    Map<String, Object> raw =
        Serialization.jsonMapper().convertValue(Kube.release(ns, "newer", "v1"), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) raw.get("spec");
    spec.put("canary", Map.of("steps", 3));
    @SuppressWarnings("unchecked")
    Map<String, Object> run = (Map<String, Object>) spec.get("run");
    run.put("warmup", "30s");
    GenericKubernetesResource g =
        Serialization.jsonMapper().convertValue(raw, GenericKubernetesResource.class);
    client
        .genericKubernetesResources("pyrelease.dev/v1alpha1", "PythonRelease")
        .inNamespace(ns)
        .resource(g)
        .create();
    // a key of its own: with the same key the two would share one build
    var healthy = Kube.release(ns, "healthy", "v1");
    healthy.getSpec().getRequirements().setInline("django==5.2.1\n");
    kube.create(healthy);

    kube.awaitJob(ns, "healthy-build-r1");
    kube.awaitJob(ns, "newer-build-r1");
    // this test's client has the strict model: read the release as plain JSON
    var c =
        await().atMost(Kube.WAIT).until(() -> unknownFieldsCondition(ns, "newer"), x -> x != null);
    assertThat(c.get("status")).isEqualTo("True");
    assertThat((String) c.get("message"))
        .contains("spec.canary")
        .contains("spec.run.warmup")
        .contains("ignores them");
    assertThat(condition(kube.get(ns, "healthy"), "UnknownFields"))
        .as("a release without unknown fields gets no such condition")
        .isNull();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> unknownFieldsCondition(String ns, String name) {
    GenericKubernetesResource g =
        client
            .genericKubernetesResources("pyrelease.dev/v1alpha1", "PythonRelease")
            .inNamespace(ns)
            .withName(name)
            .get();
    Map<String, Object> status = (Map<String, Object>) g.getAdditionalProperties().get("status");
    if (status == null || status.get("conditions") == null) {
      return null;
    }
    return ((java.util.List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(x -> "UnknownFields".equals(x.get("type"))).findFirst().orElse(null);
  }
}
