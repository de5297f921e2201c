package dev.pyrelease.e2e;

import static dev.pyrelease.e2e.E2eSupport.copyTree;
import static dev.pyrelease.e2e.E2eSupport.openForOthers;
import static dev.pyrelease.e2e.E2eSupport.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.operator.RegistryBaseDigests;
import dev.pyrelease.reconciler.Kube;
import dev.pyrelease.source.jgit.JGitResolver;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Django example (examples/django/release.yaml: web, worker, cleanup schedule, migrate
 * hook, collectstatic in the build, spec.pod with the database Secret) as one PythonRelease, run
 * for real: the operator on the mock API server creates the objects, and the test plays the kubelet
 * with podman ({@link PodRunner}) — the build Job's pod, the migrate hook Job's pod against the
 * test environment's PostgreSQL before any process exists, then web and worker pods from the
 * revision's image with the real database (Secret {@code shop-db} in the mock, read by the pods'
 * {@code envFrom}), a task enqueued by the web and completed by the worker, a static file served
 * from the image, the schedule's CronJob pod run once. Then a second commit (its build, hook, the
 * switch: the old worker scaled to 0 and its container stopped as the kubelet would, within a few
 * seconds; the CronJob's image moved) and a rollback ({@code spec.revision: 1}: the selector flips
 * back, the old worker comes back and does a task, the new one stops).
 *
 * <p>Pods run on {@link PodRunner#POD_NETWORK}: a network namespace each (two revisions listen on
 * port 8000), the host's PostgreSQL at {@link PodRunner#HOST_FROM_POD}, which is the address the
 * Secret's DATABASE_URL names, as a cluster's would name the database's Service. Needs {@code
 * scripts/testenv up} and its env, like {@link BuildJobEndToEndTest}.
 */
@EnableKubernetesMockClient(crud = true)
class AppEndToEndTest {
  static KubernetesClient client;

  static final String NS = "shop-e2e";
  static final String NAME = "shop";
  static final String PODMAN = "podman";
  static final ObjectMapper JSON = new ObjectMapper();

  /** "processes stop promptly": a stopped pod's container must be gone within this. */
  static final double STOP_SECONDS = 5;

  static String registry;
  static String indexUrl;
  static String baseImage;
  static Path work;
  static Path repo;
  static PyreleaseOperator operator;
  static Kube kube;
  static final List<PodRunner> runners = new ArrayList<>();

  /** A pod the test started for a Deployment: its runner and container id. */
  record Running(PodRunner runner, String id, PodSpec spec) {
    String get(String path) throws Exception {
      return runner.get(id, 8000, path);
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    registry = require("PYRELEASE_REGISTRY");
    indexUrl = require("PYRELEASE_INDEX_URL");
    baseImage = require("PYRELEASE_BASE_IMAGE");
    require("CONTAINERS_CONF");
    String databaseUrl =
        "postgresql://"
            + require("PYRELEASE_PGUSER")
            + ":"
            + require("PYRELEASE_PGPASSWORD")
            + "@"
            + PodRunner.HOST_FROM_POD
            + ":"
            + require("PYRELEASE_PGPORT")
            + "/"
            + require("PYRELEASE_PGDATABASE");
    work = Files.createTempDirectory("pyrelease-app-e2e-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    String operatorImage = E2eSupport.operatorImage(registry, work);

    repo = work.resolve("repo");
    copyTree(Path.of("examples/django/app"), repo);
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("shop 1").setAuthor("e2e", "e2e@test").setSign(false).call();
      git.tag().setName("v1").call();
    }
    openForOthers(repo);

    kube = new Kube(client);
    Kube.installCrd(client);
    kube.namespace(NS);
    // what the user creates beside the release: the database's address for every pod
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-db")
                .withNamespace(NS)
                .endMetadata()
                .withStringData(Map.of("DATABASE_URL", databaseUrl))
                .build())
        .create();
    OperatorConfig config =
        OperatorConfig.from(
            Map.of("PYRELEASE_OPERATOR_IMAGE", operatorImage, "PYRELEASE_GIT_ALLOW_LOCAL", "true"));
    operator =
        new PyreleaseOperator(
                client,
                config,
                new JGitResolver(work.resolve("git-cache")),
                // the loopback test registry is plain HTTP
                new RegistryBaseDigests(Set.of(ImageRef.parse(baseImage).registry())),
                Clock.systemUTC())
            .start();
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (PodRunner r : runners) {
      r.removeAll();
    }
    if (operator != null) {
      operator.close();
    }
    E2eSupport.delete(work);
  }

  @Test
  void wholeAppBuildsMigratesRunsSwitchesAndRollsBackForReal() throws Exception {
    long tTest = System.nanoTime();
    String repository =
        registry
            + "/e2e/app-shop-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    kube.create(release(repository));

    // ---- revision 1: build, then the migrate hook before any process exists
    Job build1 = kube.awaitJob(NS, NAME + "-build-r1");
    assertThat(containers(build1))
        .as("spec.build.commands (collectstatic) run in a container of the build pod")
        .containsExactly("source", "venv", "commands", "assemble");
    String image1 = runBuild(build1, "r1").get("image").asText();

    Job hook1 = kube.awaitJob(NS, Labels.hookJobName(NAME, 1, "migrate"));
    assertThat(hook1.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(image1);
    assertThat(kube.deployment(NS, NAME + "-r1")).as("no process before the hook").isNull();
    assertThat(kube.deployment(NS, NAME + "-r1-worker")).isNull();
    PodRunner.Finished migrate1 = runHook(hook1, "r1");
    assertThat(migrate1.log())
        .containsAnyOf("Applying tasks.0001_initial", "No migrations to apply");

    // ---- the processes of revision 1, from its image, with the real database
    Deployment web1 = kube.awaitDeployment(NS, NAME + "-r1");
    Deployment worker1 = kube.awaitDeployment(NS, NAME + "-r1-worker");
    for (Deployment d : List.of(web1, worker1)) {
      PodSpec spec = d.getSpec().getTemplate().getSpec();
      assertThat(spec.getContainers().get(0).getImage()).isEqualTo(image1);
      assertThat(spec.getShareProcessNamespace()).isTrue();
      assertThat(spec.getImagePullSecrets()).extracting(r -> r.getName()).contains("registry-pull");
      assertThat(spec.getContainers().get(0).getEnvFrom())
          .extracting(e -> e.getSecretRef().getName())
          .containsExactly("shop-db");
    }
    assertThat(worker1.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(Labels.PROCESS, "worker");
    Running webPod1 = startWeb(web1, "r1");
    Running workerPod1 = startWorker(worker1, "r1");
    assertThat(webPod1.get("/")).contains("\"release\": \"shop 1\"");
    String probe =
        webPod1
            .runner()
            .probe(
                webPod1.id(),
                web1.getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe());
    assertThat(probe).contains("ok");
    staticFileIsServed(webPod1);
    taskRoundTrip(webPod1, "shop 1", "r1");

    kube.makeAvailable(NS, NAME + "-r1");
    kube.makeAvailable(NS, NAME + "-r1-worker");
    await().atMost(Duration.ofSeconds(30)).until(() -> kube.selected(NS, NAME) == 1);
    awaitAutoscalerAndBudgetOn(1);

    // ---- the schedule: one CronJob in the serving revision's image; its pod runs once
    CronJob cron = awaitCronJob(image1);
    assertThat(cron.getSpec().getSchedule()).isEqualTo("*/15 * * * *");
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    runSchedule(cron, "r1");
    assertThat(webPod1.get("/tasks/?kind=cleanup")).contains("\"done_by\": \"shop 1\"");

    // ---- a program that installs no SIGTERM handler, in the worker's pod spec, stops promptly
    // too: the operator's pods share their process namespace, so it is not PID 1
    noHandlerStopsPromptly(worker1);

    // ---- revision 2: a second commit
    Path views = repo.resolve("shop/views.py");
    Files.writeString(
        views, Files.readString(views).replace("RELEASE = \"shop 1\"", "RELEASE = \"shop 2\""));
    Job build2 = commitAndRelease("shop/views.py", "shop 2", "v2", NAME + "-build-r2");
    String image2 = runBuild(build2, "r2").get("image").asText();
    assertThat(image2).isNotEqualTo(image1);
    Job hook2 = kube.awaitJob(NS, Labels.hookJobName(NAME, 2, "migrate"));
    assertThat(kube.deployment(NS, NAME + "-r2")).as("no process before the hook").isNull();
    assertThat(runHook(hook2, "r2").log()).contains("No migrations to apply");

    Deployment web2 = kube.awaitDeployment(NS, NAME + "-r2");
    Deployment worker2 = kube.awaitDeployment(NS, NAME + "-r2-worker");
    Running webPod2 = startWeb(web2, "r2");
    assertThat(webPod2.get("/")).contains("\"release\": \"shop 2\"");
    assertThat(kube.selected(NS, NAME)).as("traffic stays until r2 is available").isEqualTo(1);
    kube.makeAvailable(NS, NAME + "-r2");
    assertThat(kube.selected(NS, NAME)).as("and until all its processes are").isEqualTo(1);
    Running workerPod2 = startWorker(worker2, "r2");
    kube.makeAvailable(NS, NAME + "-r2-worker");
    await().atMost(Duration.ofSeconds(30)).until(() -> kube.selected(NS, NAME) == 2);

    // the switch: r1's worker goes to 0 (its web stays warm), the kubelet stops its pod
    awaitReplicas(NAME + "-r1-worker", 0);
    double stop1 = workerPod1.runner().stop(workerPod1.id());
    System.out.printf("[e2e] switch to r2: worker r1 scaled to 0, stopped in %.2fs%n", stop1);
    assertThat(stop1).as("processes stop promptly").isLessThan(STOP_SECONDS);
    assertThat(workerPod1.runner().logs(workerPod1.id())).contains("worker: stopped");
    assertThat(kube.deployment(NS, NAME + "-r1").getSpec().getReplicas()).isPositive();
    assertThat(webPod1.get("/")).as("r1's web stays warm").contains("shop 1");
    taskRoundTrip(webPod2, "shop 2", "r2");
    awaitCronJob(image2);
    awaitAutoscalerAndBudgetOn(2);

    // ---- rollback: spec.revision 1 restores web, worker and schedule of r1 together
    long t0 = System.nanoTime();
    kube.editSpec(NS, NAME, s -> s.setRevision(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> kube.selected(NS, NAME) == 1);
    double rollbackMs = (System.nanoTime() - t0) / 1e6;
    System.out.printf("[e2e] rollback to r1: Service selector switched in %.0f ms%n", rollbackMs);
    assertThat(webPod1.get("/")).contains("\"release\": \"shop 1\"");
    awaitReplicas(NAME + "-r2-worker", 0);
    double stop2 = workerPod2.runner().stop(workerPod2.id());
    System.out.printf("[e2e] rollback: worker r2 scaled to 0, stopped in %.2fs%n", stop2);
    assertThat(stop2).as("processes stop promptly").isLessThan(STOP_SECONDS);
    awaitReplicas(NAME + "-r1-worker", 1);
    Running workerPod1b = startWorker(kube.deployment(NS, NAME + "-r1-worker"), "r1-back");
    kube.makeAvailable(NS, NAME + "-r1-worker");
    taskRoundTrip(webPod1, "shop 1", "r1 after the rollback");
    assertThat(workerPod1b.runner().logs(workerPod1b.id())).contains("by shop 1");
    awaitCronJob(image1);
    awaitAutoscalerAndBudgetOn(1);
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel(Labels.COMPONENT, "build")
                .list()
                .getItems())
        .as("a rollback builds nothing")
        .hasSize(2);
    assertThat(client.batch().v1().jobs().inNamespace(NS).withLabel(Labels.HOOK).list().getItems())
        .as("nor runs a hook again")
        .hasSize(2);
    System.out.printf("[e2e] app e2e: %.1fs%n", (System.nanoTime() - tTest) / 1e9);
  }

  // ---------------------------------------------------------------- steps

  /** The build Job's pod with podman; the kubelet's report to the mock; the assemble result. */
  static JsonNode runBuild(Job job, String tag) throws Exception {
    var spec = job.getSpec().getTemplate().getSpec();
    PodRunner runner = runner(spec, "build-" + tag, "host");
    long t0 = System.nanoTime();
    List<PodRunner.Finished> done = runner.runToCompletion(List.of(repo), inv -> inv);
    boolean ok =
        done.size() == containers(job).size() && done.stream().allMatch(f -> f.exitCode() == 0);
    System.out.printf(
        "[e2e] app build %s: pod ran in %.1fs (%s)%n",
        tag,
        (System.nanoTime() - t0) / 1e9,
        String.join(
            ", ",
            done.stream()
                .map(f -> String.format("%s %.1fs", f.container(), f.seconds()))
                .toList()));
    List<ContainerStatus> init = new ArrayList<>();
    ContainerStatus main = null;
    for (PodRunner.Finished f : done) {
      ContainerStatus s = status(f);
      if (f.container().equals(BuildJobBuilder.ASSEMBLE)) {
        main = s;
      } else {
        init.add(s);
      }
    }
    kube.jobPodFinished(job, init, main, ok);
    if (!ok) {
      StringBuilder b = new StringBuilder("build " + tag + " failed:\n");
      done.forEach(f -> b.append("--- ").append(f.container()).append('\n').append(f.log()));
      fail(b.toString());
    }
    return JSON.readTree(done.get(done.size() - 1).message());
  }

  /** A hook Job's pod with podman against the real database, reported as the kubelet would. */
  static PodRunner.Finished runHook(Job job, String tag) throws Exception {
    return runJobPod(job, job.getSpec().getTemplate().getSpec(), tag, "hook migrate");
  }

  static PodRunner.Finished runJobPod(Job job, PodSpec spec, String tag, String what)
      throws Exception {
    PodRunner runner = runner(spec, what.replace(' ', '-') + "-" + tag, PodRunner.POD_NETWORK);
    List<PodRunner.Finished> done = runner.runToCompletion(List.of(), inv -> inv);
    assertThat(done).hasSize(1);
    PodRunner.Finished f = done.get(0);
    System.out.printf("[e2e] %s %s: exit %d in %.1fs%n", what, tag, f.exitCode(), f.seconds());
    if (job != null) {
      kube.jobPodFinished(job, List.of(), status(f), f.exitCode() == 0);
    }
    assertThat(f.exitCode()).as(f.log()).isZero();
    return f;
  }

  /** The CronJob's job template, as the CronJob controller would make a Job of it, run once. */
  static void runSchedule(CronJob cron, String tag) throws Exception {
    runJobPod(
        null,
        cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
        tag,
        "schedule cleanup");
  }

  static Running startWeb(Deployment d, String tag) throws Exception {
    PodSpec spec = d.getSpec().getTemplate().getSpec();
    PodRunner.checkServiceLinks(spec, client.services().inNamespace(NS).list().getItems());
    PodRunner runner = runner(spec, "web-" + tag, PodRunner.POD_NETWORK);
    long t0 = System.nanoTime();
    String id = runner.start(List.of());
    var readiness = spec.getContainers().get(0).getReadinessProbe();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> runner.probe(id, readiness).contains("ok"));
    System.out.printf("[e2e] web %s: ready in %.1fs%n", tag, (System.nanoTime() - t0) / 1e9);
    return new Running(runner, id, spec);
  }

  static Running startWorker(Deployment d, String tag) throws Exception {
    PodSpec spec = d.getSpec().getTemplate().getSpec();
    PodRunner.checkServiceLinks(spec, client.services().inNamespace(NS).list().getItems());
    PodRunner runner = runner(spec, "worker-" + tag, PodRunner.POD_NETWORK);
    long t0 = System.nanoTime();
    String id = runner.start(List.of());
    String log =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> runner.logs(id), l -> l.contains("waiting for tasks"));
    // the pod shares its process namespace: the worker is not PID 1
    assertThat(log).doesNotContain("(pid 1)");
    System.out.printf(
        "[e2e] worker %s: waiting for tasks in %.1fs (%s)%n",
        tag,
        (System.nanoTime() - t0) / 1e9,
        log.lines().filter(l -> l.contains("waiting for tasks")).findFirst().orElse("").trim());
    return new Running(runner, id, spec);
  }

  /** POST /tasks/ through the web, then GET /tasks/<id> until the worker has done it. */
  static void taskRoundTrip(Running web, String doneBy, String tag) throws Exception {
    long t0 = System.nanoTime();
    JsonNode task =
        JSON.readTree(
            web.runner()
                .post(
                    web.id(),
                    8000,
                    "/tasks/",
                    "{\"kind\": \"sha256\", \"payload\": {\"text\": \"" + tag + "\"}}"));
    assertThat(task.get("state").asText()).isEqualTo("queued");
    long id = task.get("id").asLong();
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> JSON.readTree(web.get("/tasks/" + id)),
                t -> !"queued".equals(t.get("state").asText()));
    double ms = (System.nanoTime() - t0) / 1e6;
    // the server's clock: from the web's INSERT to the worker's result (LISTEN/NOTIFY), without
    // the test's nsenter + python per request
    double serverMs =
        java.time.Duration.between(
                    java.time.OffsetDateTime.parse(done.get("created_at").asText()),
                    java.time.OffsetDateTime.parse(done.get("done_at").asText()))
                .toNanos()
            / 1e6;
    System.out.printf(
        "[e2e] task %d (%s): done by \"%s\", created → done %.0f ms (POST → seen done %.0f ms)%n",
        id, tag, done.get("done_by").asText(), serverMs, ms);
    assertThat(done.get("state").asText()).isEqualTo("done");
    assertThat(done.get("done_by").asText()).isEqualTo(doneBy);
    assertThat(done.get("result").get("sha256").asText()).hasSize(64);
  }

  /** collectstatic ran in the build: the stylesheet is in the image and Django serves it. */
  static void staticFileIsServed(Running web) throws Exception {
    String css = web.get("/static/shop/site.css");
    System.out.printf(
        "[e2e] static file from the image: /static/shop/site.css: %s%n",
        css.lines().findFirst().orElse(""));
    assertThat(css)
        .isEqualTo(Files.readString(Path.of("examples/django/app/shop/static/shop/site.css")));
  }

  /** The build pod's containers in the order they run. */
  static List<String> containers(Job job) {
    var spec = job.getSpec().getTemplate().getSpec();
    List<String> all = new ArrayList<>();
    spec.getInitContainers().forEach(c -> all.add(c.getName()));
    spec.getContainers().forEach(c -> all.add(c.getName()));
    return all;
  }

  /**
   * The worker's pod spec with only the command changed to a program without a SIGTERM handler: as
   * PID 1 it would ignore SIGTERM until the grace period's SIGKILL; in the operator's pods it is
   * not PID 1 and stops at once.
   */
  static void noHandlerStopsPromptly(Deployment worker) throws Exception {
    PodSpec spec = Serialization.clone(worker.getSpec().getTemplate().getSpec());
    spec.getContainers()
        .get(0)
        .setCommand(
            List.of(
                "python",
                "-c",
                "import os,sys,time; print('pid', os.getpid(), flush=True); time.sleep(600)"));
    PodRunner runner = runner(spec, "no-handler", "none");
    String id = runner.start(List.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> runner.logs(id), l -> l.contains("pid "));
    assertThat(runner.logs(id)).doesNotContain("pid 1\n");
    double secs = runner.stop(id);
    System.out.printf(
        "[e2e] a process without a SIGTERM handler (not PID 1): stopped in %.2fs (grace %ds)%n",
        secs, spec.getTerminationGracePeriodSeconds());
    assertThat(secs).isLessThan(STOP_SECONDS);
  }

  // ---------------------------------------------------------------- the cluster's side

  static Job commitAndRelease(String path, String message, String tag, String job)
      throws Exception {
    try (Git git = Git.open(repo.toFile())) {
      git.add().addFilepattern(path).call();
      git.commit().setMessage(message).setAuthor("e2e", "e2e@test").setSign(false).call();
      git.tag().setName(tag).call();
    }
    openForOthers(repo);
    kube.editSpec(NS, NAME, s -> s.getSource().getGit().setRef(tag));
    return kube.awaitJob(NS, job);
  }

  static CronJob awaitCronJob(String image) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .batch()
                    .v1()
                    .cronjobs()
                    .inNamespace(NS)
                    .withName(Labels.cronJobName(NAME, "cleanup"))
                    .get(),
            c ->
                c != null
                    && image.equals(
                        c.getSpec()
                            .getJobTemplate()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage()));
  }

  static void awaitReplicas(String deployment, int replicas) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> kube.deployment(NS, deployment).getSpec().getReplicas(),
            r -> replicas == 0 ? r == 0 : r >= replicas);
  }

  /**
   * The web's autoscaler targets revision N's Deployment and its PodDisruptionBudget (disruption
   * minAvailable 1) selects revision N's pods: they follow the serving revision.
   */
  static void awaitAutoscalerAndBudgetOn(int revision) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<HorizontalPodAutoscaler> hpas =
                  client
                      .autoscaling()
                      .v2()
                      .horizontalPodAutoscalers()
                      .inNamespace(NS)
                      .list()
                      .getItems();
              assertThat(hpas).hasSize(1);
              assertThat(hpas.get(0).getSpec().getScaleTargetRef().getName())
                  .isEqualTo(NAME + "-r" + revision);
              var pdbs = client.policy().v1().podDisruptionBudget().inNamespace(NS).list();
              assertThat(pdbs.getItems()).hasSize(1);
              var pdb = pdbs.getItems().get(0).getSpec();
              assertThat(pdb.getMinAvailable().getIntVal()).isEqualTo(1);
              assertThat(pdb.getSelector().getMatchLabels())
                  .containsEntry(Labels.REVISION, Integer.toString(revision));
            });
  }

  static PodRunner runner(PodSpec spec, String tag, String network) {
    PodRunner r =
        new PodRunner(
            PODMAN,
            "app-e2e-" + tag + "-" + System.nanoTime() % 100000,
            spec,
            name -> client.secrets().inNamespace(NS).withName(name).get(),
            work.resolve("pods/" + tag),
            network);
    runners.add(r);
    return r;
  }

  static ContainerStatus status(PodRunner.Finished f) {
    return Kube.terminated(
        f.container(),
        f.exitCode(),
        f.exitCode() == 0 ? "Completed" : "Error",
        f.message().isBlank() ? null : f.message());
  }

  /** The example's release as it is, pointed at the test's repository, index, base and registry. */
  static PythonRelease release(String repository) throws IOException {
    PythonRelease r;
    try (InputStream in = Files.newInputStream(Path.of("examples/django/release.yaml"))) {
      r = Serialization.unmarshal(in, PythonRelease.class);
    }
    r.getMetadata().setNamespace(NS);
    r.getMetadata().setName(NAME);
    var s = r.getSpec();
    s.getSource().getGit().setUrl("file://" + repo);
    s.getSource().getGit().setRef("v1");
    s.getSource().getGit().setSecretRef(null);
    s.getIndex().setUrl(indexUrl);
    s.getPython().setBaseImage(baseImage);
    s.getImage().setRepository(repository);
    // the test runs one pod per Deployment
    s.getRun().setReplicas(1);
    s.getRun().getAutoscaling().setMinReplicas(1);
    return r;
  }
}
