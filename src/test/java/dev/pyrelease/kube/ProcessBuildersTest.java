package dev.pyrelease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.AutoscalingSpec;
import dev.pyrelease.api.v1alpha1.DisruptionSpec;
import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.PodOptions;
import dev.pyrelease.api.v1alpha1.ProcessSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.ScheduleSpec;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The builders of a whole application — a Deployment per process, the CronJob of a schedule, the
 * autoscaler and disruption budget of a process — and the pod template under the hardening, without
 * a server.
 */
class ProcessBuildersTest {
  static final String IMAGE = BuildersTest.IMAGE;

  static PythonRelease app() {
    PythonRelease r = ReleaseFixture.shop();
    ProcessSpec worker = new ProcessSpec();
    worker.setCommand(List.of("python", "manage.py", "worker"));
    worker.setReplicas(2);
    worker.setEnv(List.of(new EnvVar("QUEUE", "default", null)));
    worker.setLivenessProbe(new ProbeBuilder().withNewExec().withCommand("true").endExec().build());
    Map<String, ProcessSpec> processes = new LinkedHashMap<>();
    processes.put("worker", worker);
    r.getSpec().setProcesses(processes);
    PodOptions pod = new PodOptions();
    pod.setImagePullSecrets(List.of(new LocalObjectReference("registry-pull")));
    pod.setServiceAccountName("shop");
    pod.setNodeSelector(Map.of("pool", "web"));
    pod.setTolerations(
        List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
    pod.setTopologySpreadConstraints(
        List.of(
            new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .build()));
    pod.setVolumes(
        List.of(
            new VolumeBuilder()
                .withName("config")
                .withNewConfigMap()
                .withName("shop-config")
                .endConfigMap()
                .build()));
    pod.setVolumeMounts(
        List.of(new VolumeMountBuilder().withName("config").withMountPath("/etc/shop").build()));
    pod.setEnv(
        List.of(
            new EnvVar("DJANGO_SETTINGS_MODULE", "shop.settings", null),
            new EnvVar("QUEUE", "all", null)));
    pod.setEnvFrom(
        List.of(
            new EnvFromSourceBuilder()
                .withNewSecretRef()
                .withName("shop-db")
                .endSecretRef()
                .build()));
    pod.setAnnotations(Map.of("mesh/inject", "true"));
    pod.setLabels(Map.of("team", "shop", Labels.RELEASE, "someone-else"));
    pod.setTerminationGracePeriodSeconds(20L);
    r.getSpec().setPod(pod);
    return r;
  }

  static Workload worker(PythonRelease r) {
    return Workload.of(r).get(1);
  }

  @Test
  void webComesFirstThenTheProcessesByName() {
    PythonRelease r = app();
    ProcessSpec beat = new ProcessSpec();
    beat.setCommand(List.of("python", "manage.py", "beat"));
    r.getSpec().getProcesses().put("beat", beat);
    assertThat(Workload.of(r)).extracting(Workload::name).containsExactly("web", "beat", "worker");
    assertThat(Workload.of(r).get(0).standbyReplicas()).as("web stays warm at size").isEqualTo(3);
    assertThat(worker(r).standbyReplicas()).as("workers stop at the switch").isZero();
  }

  @Test
  void workerDeploymentIsNamedAndSelectedByProcessWithoutAPort() {
    PythonRelease r = app();
    Deployment d = DeploymentBuilder.desired(r, worker(r), 4, IMAGE, 2);
    assertThat(d.getMetadata().getName()).isEqualTo("shop-r4-worker");
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsExactlyEntriesOf(Labels.selector("shop", 4, "worker"));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(Labels.PROCESS, "worker")
        .containsEntry(Labels.REVISION, "4")
        .containsEntry(Labels.RELEASE, "shop")
        .containsEntry("team", "shop");
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand()).containsExactly("python", "manage.py", "worker");
    assertThat(c.getPorts()).isEmpty();
    assertThat(c.getReadinessProbe()).as("a worker has no port to probe").isNull();
    assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("true");
    Deployment web = DeploymentBuilder.desired(r, 4, IMAGE, 3);
    assertThat(web.getMetadata().getName()).isEqualTo("shop-r4");
    assertThat(web.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(Labels.PROCESS, "web");
  }

  @Test
  void podTemplateAppliesEverywhereAndCannotWeakenTheHardening() {
    PythonRelease r = app();
    ScheduleSpec s = schedule();
    Hook hook = new Hook();
    hook.setName("migrate");
    hook.setCommand(List.of("python", "manage.py", "migrate"));
    List<PodSpec> pods =
        List.of(
            DeploymentBuilder.desired(r, 1, IMAGE, 3).getSpec().getTemplate().getSpec(),
            DeploymentBuilder.desired(r, worker(r), 1, IMAGE, 2).getSpec().getTemplate().getSpec(),
            CronJobBuilder.desired(r, s, 1, IMAGE)
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec(),
            HookJobBuilder.desired(r, 1, IMAGE, hook).getSpec().getTemplate().getSpec());
    for (PodSpec pod : pods) {
      assertThat(pod.getImagePullSecrets())
          .extracting(LocalObjectReference::getName)
          .containsExactly("registry-pull");
      assertThat(pod.getServiceAccountName()).isEqualTo("shop");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      assertThat(pod.getNodeSelector()).containsEntry("pool", "web");
      assertThat(pod.getTolerations()).hasSize(1);
      assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(20L);
      assertThat(pod.getShareProcessNamespace()).as("the app is not PID 1").isTrue();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Hardening.RUN_AS_USER);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "config");
      var c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getVolumeMounts())
          .extracting(m -> m.getMountPath())
          .containsExactly("/tmp", "/etc/shop");
      assertThat(c.getEnvFrom()).hasSize(1);
      assertThat(c.getEnv()).extracting(EnvVar::getName).contains("DJANGO_SETTINGS_MODULE");
    }
    var workerEnv =
        DeploymentBuilder.desired(r, worker(r), 1, IMAGE, 2)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(workerEnv)
        .as("the process' own value wins over spec.pod.env, once")
        .filteredOn(e -> e.getName().equals("QUEUE"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("default"));
    var meta = DeploymentBuilder.desired(r, 1, IMAGE, 3).getSpec().getTemplate().getMetadata();
    assertThat(meta.getLabels())
        .as("the operator's labels win")
        .containsEntry(Labels.RELEASE, "shop");
    assertThat(meta.getAnnotations()).containsEntry("mesh/inject", "true");
    var spread =
        DeploymentBuilder.desired(r, worker(r), 1, IMAGE, 2)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getTopologySpreadConstraints()
            .get(0);
    assertThat(spread.getLabelSelector().getMatchLabels())
        .as("a constraint without a selector spreads this process' pods of this revision")
        .containsExactlyEntriesOf(Labels.selector("shop", 1, "worker"));
  }

  static ScheduleSpec schedule() {
    ScheduleSpec s = new ScheduleSpec();
    s.setName("cleanup");
    s.setSchedule("*/15 * * * *");
    s.setCommand(List.of("python", "manage.py", "clearsessions"));
    return s;
  }

  @Test
  void cronJobRunsTheServingImageOnceAtATime() {
    PythonRelease r = app();
    var c = CronJobBuilder.desired(r, schedule(), 3, IMAGE);
    assertThat(c.getMetadata().getName()).isEqualTo("shop-cleanup");
    assertThat(c.getMetadata().getLabels())
        .containsEntry(Labels.RELEASE, "shop")
        .containsEntry(Labels.SCHEDULE, "cleanup")
        .containsEntry(Labels.REVISION, "3");
    assertThat(c.getSpec().getSchedule()).isEqualTo("*/15 * * * *");
    assertThat(c.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    var job = c.getSpec().getJobTemplate().getSpec();
    assertThat(job.getBackoffLimit()).isZero();
    var pod = job.getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(IMAGE);
    assertThat(pod.getContainers().get(0).getCommand())
        .containsExactly("python", "manage.py", "clearsessions");
    var other = CronJobBuilder.desired(r, schedule(), 4, IMAGE.replace('a', 'b'));
    assertThat(Labels.annotation(other, Labels.SPEC_HASH))
        .as("a new image is a new spec")
        .isNotEqualTo(Labels.annotation(c, Labels.SPEC_HASH));
  }

  @Test
  void autoscalerTargetsTheServingRevisionsDeployment() {
    PythonRelease r = app();
    AutoscalingSpec a = new AutoscalingSpec();
    a.setMinReplicas(2);
    a.setMaxReplicas(10);
    a.setTargetCPUUtilizationPercentage(70);
    worker(r).spec().setAutoscaling(a);
    var h = AutoscalerBuilder.desired(r, worker(r), 5);
    assertThat(h.getMetadata().getName()).isEqualTo("shop-worker");
    assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(h.getSpec().getScaleTargetRef().getName()).isEqualTo("shop-r5-worker");
    assertThat(h.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(h.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(h.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getResource().getName()).isEqualTo("cpu");
              assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
    assertThat(AutoscalerBuilder.startingReplicas(a, 7, 2)).as("what the HPA holds").isEqualTo(7);
    assertThat(AutoscalerBuilder.startingReplicas(a, 40, 2)).as("within max").isEqualTo(10);
    assertThat(AutoscalerBuilder.startingReplicas(a, null, 1)).as("within min").isEqualTo(2);
  }

  @Test
  void disruptionBudgetSelectsTheServingPodsOfOneProcess() {
    PythonRelease r = app();
    DisruptionSpec d = new DisruptionSpec();
    d.setMinAvailable(new IntOrString(1));
    r.getSpec().getRun().setDisruption(d);
    var p = DisruptionBudgetBuilder.desired(r, Workload.of(r).get(0), 6);
    assertThat(p.getMetadata().getName()).isEqualTo("shop-web");
    assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(p.getSpec().getSelector().getMatchLabels())
        .containsExactlyEntriesOf(Labels.selector("shop", 6, "web"));
  }
}
