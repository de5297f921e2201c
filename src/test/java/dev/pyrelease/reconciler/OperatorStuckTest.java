package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stuck states are named early: a build pod whose image cannot be pulled shows on Built within
 * seconds, naming the container and the kubelet's reason; a new revision whose pods crash shows on
 * Degraded before its deadline; a first rollout past its deadline ends in phase Failed with one
 * event.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorStuckTest extends OperatorTestBase {
  static KubernetesClient client;
  static PyreleaseOperator operator;
  static final FakeGit GIT = new FakeGit().ref("v1", sha('1'));
  static final Duration SECONDS = Duration.ofSeconds(10);

  @BeforeAll
  static void start() {
    operator = startOperator(client, GIT);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void aBuildPodThatCannotPullItsImageIsNamedOnBuilt() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "v1"));
    Job job = kube.awaitJob(ns, "shop-build-r1");
    Map<String, String> labels =
        new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(Labels.JOB_NAME, job.getMetadata().getName());
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("shop-build-r1-x1")
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus()
                .withPhase("Pending")
                .withInitContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName("source")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(0)
                        .withReason("Completed")
                        .endTerminated()
                        .endState()
                        .build(),
                    new ContainerStatusBuilder()
                        .withName("venv")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"registry.test/python:3.11-slim\"")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build())
        .create();
    PythonRelease stuck =
        await()
            .atMost(SECONDS)
            .until(
                () -> kube.get(ns, "shop"),
                r -> hasCondition(r, "Built", "False", "BuildPodStuck"));
    assertThat(condition(stuck, "Built").getMessage())
        .contains("container venv: ImagePullBackOff (Back-off pulling image");
    await().atMost(SECONDS).until(() -> warnings(ns, "BuildPodStuck").size() == 1);
  }

  @Test
  void aRevisionWhosePodsCrashIsNamedBeforeItsDeadlineAndFailsAtIt() throws Exception {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    PythonRelease r = Kube.release(ns, "shop", "v1");
    r.getSpec().getRollout().setProgressDeadlineSeconds(3);
    kube.create(r);
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    Deployment d = kube.awaitDeployment(ns, "shop-r1");
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("shop-r1-abc-1")
                .withNamespace(ns)
                .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(d.getSpec().getTemplate().getSpec())
                .withNewStatus()
                .withPhase("Running")
                .withContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName("app")
                        .withRestartCount(4)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build())
        .create();
    PythonRelease early =
        await()
            .atMost(SECONDS)
            .until(
                () -> kube.get(ns, "shop"), x -> hasCondition(x, "Degraded", "True", "PodsStuck"));
    assertThat(condition(early, "Degraded").getMessage())
        .contains("revision 1 cannot start: container app: CrashLoopBackOff");
    assertThat(early.getStatus().getPhase()).isEqualTo(Phase.RollingOut);

    PythonRelease late =
        await()
            .atMost(SECONDS)
            .until(
                () -> kube.get(ns, "shop"),
                x -> hasCondition(x, "Degraded", "True", "ProgressDeadlineExceeded"));
    assertThat(late.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(condition(late, "Degraded").getMessage()).contains("CrashLoopBackOff");
    Thread.sleep(1000);
    assertThat(warnings(ns, "ProgressDeadlineExceeded"))
        .as("one event for one problem, though Ready and Degraded both carry it")
        .hasSize(1);
  }

  List<Event> warnings(String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
