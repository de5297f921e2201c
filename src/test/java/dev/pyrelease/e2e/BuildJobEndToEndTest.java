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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build Job the operator creates, run for real: a JGit repository with the Django example, a
 * PythonRelease on the mock API server pointing at it (file://), the operator image built with Jib,
 * and the Job's pod executed with podman exactly as its spec says ({@link PodRunner}); the test
 * then plays the kubelet (pod with container statuses and the termination message, Job status),
 * runs the Deployment's pod with podman and asks gunicorn, and goes on to a second commit
 * (blue/green) and a rollback.
 *
 * <p>Needs the real test environment ({@code scripts/test}, or {@code scripts/testenv up} and its
 * env). The operator image is built by this test with {@code scripts/operator-image} unless {@code
 * PYRELEASE_E2E_OPERATOR_IMAGE} names one already pushed.
 */
@EnableKubernetesMockClient(crud = true)
class BuildJobEndToEndTest {
  static KubernetesClient client;

  static final String NS = "e2e";
  static final String NAME = "shop";
  static final String PODMAN = "podman";
  static final ObjectMapper JSON = new ObjectMapper();

  static String registry;
  static String indexUrl;
  static String baseImage;
  static String operatorImage;
  static Path work;
  static Path repo;
  static PyreleaseOperator operator;
  static Kube kube;
  static final List<PodRunner> runners = new ArrayList<>();
  static PythonRelease created;

  @BeforeAll
  static void setUp() throws Exception {
    registry = require("PYRELEASE_REGISTRY");
    indexUrl = require("PYRELEASE_INDEX_URL");
    baseImage = require("PYRELEASE_BASE_IMAGE");
    require("CONTAINERS_CONF");
    work = Files.createTempDirectory("pyrelease-e2e-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    operatorImage = operatorImage();

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
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void buildRolloutSecondCommitAndRollbackForReal() throws Exception {
    String repository =
        registry
            + "/e2e/shop-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    PythonRelease release = release(repository);
    created = release;
    kube.create(release);

    // ---- revision 1: the build Job, run with podman
    Job job1 = kube.awaitJob(NS, NAME + "-build-r1");
    assertThat(job1.getSpec().getTemplate().getSpec().getVolumes())
        .as("no secretRef in the release: no secret volumes")
        .noneMatch(v -> v.getSecret() != null);
    JsonNode result1 = runBuild(job1, "r1");
    assertThat(result1.get("venvStep").asText()).isEqualTo("full");

    PythonRelease r1 =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> kube.get(NS, NAME),
                r ->
                    r.getStatus() != null
                        && r.getStatus().getRevisions() != null
                        && !r.getStatus().getRevisions().isEmpty());
    assertThat(r1.getStatus().getRevisions().get(0).getImage())
        .isEqualTo(result1.get("image").asText());
    // one key: the operator's (on the Job and in status) is the one the build pod computed and
    // labelled the image with; the base was keyed, and the venv step run, pinned to its digest
    assertThat(r1.getStatus().getRevisions().get(0).getBuildKey())
        .isEqualTo(result1.get("buildKey").asText())
        .isEqualTo(Labels.annotation(job1, Labels.BUILD_KEY));
    assertThat(job1.getSpec().getTemplate().getSpec().getInitContainers())
        .filteredOn(c -> c.getName().equals("venv"))
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).startsWith(baseImage + "@sha256:"));

    Deployment d1 = kube.awaitDeployment(NS, NAME + "-r1");
    assertThat(d1.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(result1.get("image").asText());
    PodRunner pod1 = startDeployment(d1, "r1");
    String id1 = pod1.started().get(0);
    assertThat(pod1.get(id1, 8000, "/")).contains("\"release\": \"shop 1\"");
    kube.makeAvailable(NS, NAME + "-r1");
    await().atMost(Duration.ofSeconds(30)).until(() -> kube.selected(NS, NAME) == 1);

    // ---- revision 2: a second commit, an app-only change
    Path views = repo.resolve("shop/views.py");
    Files.writeString(
        views, Files.readString(views).replace("RELEASE = \"shop 1\"", "RELEASE = \"shop 2\""));
    Job job2 = commitAndRelease("shop/views.py", "shop 2", "v2", NAME + "-build-r2");
    JsonNode result2 = runBuild(job2, "r2");
    // the dependency image exists and the example app is plain files: no venv step at all, and
    // the only layer pushed is the app's. With build commands, which need the venv, the Job's
    // venv container makes it again in the base image for them, and the release still goes on
    // the dependency image with its app layer only
    assertThat(result2.get("venvStep").asText())
        .isEqualTo(hasBuildCommands(release) ? "full" : "skipped");
    assertThat(result2.get("dependencyKey").asText())
        .isEqualTo(result1.get("dependencyKey").asText());
    List<JsonNode> uploaded = new ArrayList<>();
    result2
        .get("layers")
        .forEach(
            l -> {
              if (l.get("uploaded").asBoolean()) {
                uploaded.add(l);
              }
            });
    assertThat(uploaded).hasSize(1);

    Deployment d2 = kube.awaitDeployment(NS, NAME + "-r2");
    PodRunner pod2 = startDeployment(d2, "r2");
    String id2 = pod2.started().get(0);
    assertThat(pod2.get(id2, 8000, "/")).contains("\"release\": \"shop 2\"");
    assertThat(kube.selected(NS, NAME)).as("traffic stays until r2 is available").isEqualTo(1);
    kube.makeAvailable(NS, NAME + "-r2");
    await().atMost(Duration.ofSeconds(30)).until(() -> kube.selected(NS, NAME) == 2);
    assertThat(pod1.get(id1, 8000, "/")).as("r1 stays warm").contains("shop 1");
    assertThat(kube.deployment(NS, NAME + "-r1").getSpec().getReplicas()).isPositive();

    // ---- revision 3: a commit whose app links out of the repository (here to a file of the build
    // container; in a cluster the git credentials are mounted beside the checkout). The source
    // step's checkout refuses it and writes why to its termination log, and the Built condition
    // says so; traffic stays on r2
    Files.createSymbolicLink(repo.resolve("shop/leak.txt"), Path.of("/etc/hostname"));
    Job job3 = commitAndRelease("shop/leak.txt", "shop 3", "v3", NAME + "-build-r3");
    List<PodRunner.Finished> done3 = runAndReport(job3, "r3");
    assertThat(done3).hasSize(1);
    assertThat(done3.get(0).container()).isEqualTo(BuildJobBuilder.SOURCE);
    assertThat(done3.get(0).exitCode()).isEqualTo(1);
    PythonRelease r3 =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> kube.get(NS, NAME),
                r ->
                    r.getStatus() != null
                        && r.getStatus().getConditions().stream()
                            .anyMatch(
                                c ->
                                    c.getType().equals("Built")
                                        && c.getStatus().equals("False")
                                        && "BuildFailed".equals(c.getReason())));
    String why =
        r3.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Built"))
            .findFirst()
            .orElseThrow()
            .getMessage();
    System.out.printf("[e2e] build r3 failed: %s%n", why);
    assertThat(why)
        .as(done3.get(0).log())
        .contains("container source failed")
        .contains(
            "container source failed (Error, exit 1): pyrelease source: 'shop/leak.txt' is a"
                + " symlink that points outside the repository")
        .doesNotContain("Exception")
        .doesNotContain("JAVA_TOOL_OPTIONS");
    assertThat(done3.get(0).log()).doesNotContain(".config/jgit");
    assertThat(kube.selected(NS, NAME)).isEqualTo(2);

    // ---- rollback: spec.revision 1 → the selector flips back, nothing is built
    long t0 = System.nanoTime();
    kube.editSpec(NS, NAME, s -> s.setRevision(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> kube.selected(NS, NAME) == 1);
    double rollbackMs = (System.nanoTime() - t0) / 1e6;
    System.out.printf("[e2e] rollback to r1: Service selector switched in %.0f ms%n", rollbackMs);
    assertThat(pod1.get(id1, 8000, "/")).contains("\"release\": \"shop 1\"");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel("pyrelease.dev/component", "build")
                .list()
                .getItems())
        .hasSize(3);
  }

  /** Commits {@code path} and tags it, points the release at the tag, awaits the build Job. */
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

  /** Whether the release has build commands (the example's collectstatic). */
  static boolean hasBuildCommands(PythonRelease r) {
    return r.getSpec().getBuild() != null
        && r.getSpec().getBuild().getCommands() != null
        && !r.getSpec().getBuild().getCommands().isEmpty();
  }

  /** The pod's containers in the order they run: source, venv, [commands,] assemble. */
  static int containers(Job job) {
    var spec = job.getSpec().getTemplate().getSpec();
    return spec.getInitContainers().size() + spec.getContainers().size();
  }

  /** Runs the Job's pod with podman, expects it to succeed, and returns the assemble result. */
  static JsonNode runBuild(Job job, String tag) throws Exception {
    List<PodRunner.Finished> done = runAndReport(job, tag);
    if (done.size() != containers(job) || done.stream().anyMatch(f -> f.exitCode() != 0)) {
      StringBuilder b = new StringBuilder("build " + tag + " failed:\n");
      done.forEach(f -> b.append("--- ").append(f.container()).append('\n').append(f.log()));
      fail(b.toString());
    }
    // a release with build commands runs them in a container of their own, before assemble
    assertThat(done)
        .extracting(PodRunner.Finished::container)
        .containsExactlyElementsOf(
            hasBuildCommands(created)
                ? List.of("source", "venv", "commands", "assemble")
                : List.of("source", "venv", "assemble"));
    PodRunner.Finished assemble = done.get(done.size() - 1);
    assertThat(assemble.message().getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
    return JSON.readTree(assemble.message());
  }

  /** Runs the Job's pod with podman and reports it to the mock as the kubelet would. */
  static List<PodRunner.Finished> runAndReport(Job job, String tag) throws Exception {
    var spec = job.getSpec().getTemplate().getSpec();
    PodRunner runner =
        new PodRunner(
            PODMAN,
            "e2e-" + tag + "-build-" + System.nanoTime() % 100000,
            spec,
            name -> client.secrets().inNamespace(NS).withName(name).get(),
            work.resolve("pods/build-" + tag),
            "host");
    runners.add(runner);
    long t0 = System.nanoTime();
    List<PodRunner.Finished> done = runner.runToCompletion(List.of(repo), inv -> inv);
    for (PodRunner.Finished f : done) {
      System.out.printf(
          "[e2e] build %s: container %s exit %d in %.1fs%n",
          tag, f.container(), f.exitCode(), f.seconds());
    }
    System.out.printf("[e2e] build %s: pod ran in %.1fs%n", tag, (System.nanoTime() - t0) / 1e9);
    List<ContainerStatus> init = new ArrayList<>();
    ContainerStatus main = null;
    boolean ok = done.size() == containers(job) && done.stream().allMatch(f -> f.exitCode() == 0);
    for (PodRunner.Finished f : done) {
      ContainerStatus s =
          Kube.terminated(
              f.container(),
              f.exitCode(),
              f.exitCode() == 0 ? "Completed" : "Error",
              f.message().isBlank() ? null : f.message());
      if (f.container().equals(BuildJobBuilder.ASSEMBLE)) {
        main = s;
      } else {
        init.add(s);
      }
    }
    kube.jobPodFinished(job, init, main, ok);
    return done;
  }

  static PodRunner startDeployment(Deployment d, String tag) throws Exception {
    var spec = d.getSpec().getTemplate().getSpec();
    PodRunner.checkServiceLinks(spec, client.services().inNamespace(NS).list().getItems());
    PodRunner runner =
        new PodRunner(
            PODMAN,
            "e2e-" + tag + "-" + System.nanoTime() % 100000,
            spec,
            name -> client.secrets().inNamespace(NS).withName(name).get(),
            work.resolve("pods/" + tag),
            "none");
    runners.add(runner);
    long t0 = System.nanoTime();
    String id = runner.start(List.of());
    var probe = spec.getContainers().get(0).getReadinessProbe().getHttpGet();
    int port = probe.getPort().getIntVal();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> runner.get(id, port, probe.getPath()).contains("ok"));
    System.out.printf(
        "[e2e] deployment %s: ready (%s) in %.1fs%n",
        tag, probe.getPath(), (System.nanoTime() - t0) / 1e9);
    return runner;
  }

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
    s.getRequirements().setFile("requirements/prod.txt");
    s.getIndex().setUrl(indexUrl);
    s.getPython().setBaseImage(baseImage);
    s.getImage().setRepository(repository);
    s.getRun().setReplicas(1);
    // hooks would be Jobs in the new image too; this test runs the build and the Deployments
    s.setHooks(null);
    // the web process alone, without a database: the whole app (worker, schedule, hook, the
    // database Secret of spec.pod) is AppEndToEndTest's
    s.setProcesses(null);
    s.setSchedules(null);
    s.setPod(null);
    s.getRun().setAutoscaling(null);
    return r;
  }

  static String operatorImage() throws Exception {
    return E2eSupport.operatorImage(registry, work);
  }
}
