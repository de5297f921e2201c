package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.ScheduleSpec;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift is repaired for what the operator sets, not only when its own spec hash changes: a
 * hand-changed image, command or env on the serving Deployment (kubectl set image / set env), a
 * hand-changed replica count, and a hand-changed CronJob image are put back, each with one event,
 * and the repair does not loop.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorDriftTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;
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
  void handEditsOfWhatTheOperatorSetsArePutBackOnce() throws Exception {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    ScheduleSpec s = new ScheduleSpec();
    s.setName("cleanup");
    s.setSchedule("@hourly");
    s.setCommand(List.of("python", "manage.py", "cleanup"));
    r.getSpec().setSchedules(List.of(s));
    kube.create(r);
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
    String image = Kube.REPO + "@" + digest('a');
    await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                client.batch().v1().cronjobs().inNamespace(ns).withName("shop-cleanup").get()
                    != null);

    // kubectl set image + set env + scale on the serving Deployment
    Kube.retryOnConflict(
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("shop-r1")
                .edit(
                    d -> {
                      var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                      c.setImage("registry.test/web/shop:hotfix");
                      c.setEnv(List.of(new EnvVar("DEBUG", "1", null)));
                      d.getSpec().setReplicas(7);
                      return d;
                    }));
    await()
        .atMost(Kube.WAIT)
        .until(
            () -> {
              var d = kube.deployment(ns, "shop-r1");
              var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
              return c.getImage().equals(image)
                  && c.getEnv().isEmpty()
                  && d.getSpec().getReplicas() == 2;
            });
    await().atMost(Kube.WAIT).until(() -> repairs(ns).size() == 1);
    assertThat(repairs(ns).get(0).getMessage())
        .contains("spec.template.spec.containers[0].image")
        .contains("Deployment shop-r1");

    // kubectl edit of the CronJob's image
    Kube.retryOnConflict(
        () ->
            client
                .batch()
                .v1()
                .cronjobs()
                .inNamespace(ns)
                .withName("shop-cleanup")
                .edit(
                    c -> {
                      c.getSpec()
                          .getJobTemplate()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .setImage("registry.test/web/shop:old");
                      return c;
                    }));
    await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                OperatorProcessesTest.image(
                        client
                            .batch()
                            .v1()
                            .cronjobs()
                            .inNamespace(ns)
                            .withName("shop-cleanup")
                            .get())
                    .equals(image));
    await().atMost(Kube.WAIT).until(() -> repairs(ns).size() == 2);
    assertThat(
            Labels.annotation(
                client.batch().v1().cronjobs().inNamespace(ns).withName("shop-cleanup").get(),
                Labels.DRIFT_REPAIRED))
        .isNotNull();

    // repaired: nothing more is written
    Thread.sleep(500);
    drainWrites(server);
    kube.makeAvailable(ns, "shop-r1");
    Thread.sleep(1500);
    assertThat(
            drainWrites(server).stream()
                .filter(w -> w.contains("/namespaces/" + ns + "/"))
                .filter(
                    w ->
                        !w.contains("/deployments/shop-r1/status")
                            && !w.endsWith("/deployments/shop-r1"))
                .toList())
        .isEmpty();
    assertThat(repairs(ns)).hasSize(2);
  }

  List<Event> repairs(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "DriftRepaired".equals(e.getReason()))
        .toList();
  }
}
