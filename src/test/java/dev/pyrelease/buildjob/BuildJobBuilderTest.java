package dev.pyrelease.buildjob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.BuildSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.ReleaseFixture;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build Job, without a server. */
class BuildJobBuilderTest {
  static final OperatorConfig CONFIG =
      OperatorConfig.from(
          Map.of(
              "PYRELEASE_OPERATOR_IMAGE", "registry.internal/pyrelease:1.0",
              "PYRELEASE_BUILD_DEADLINE_SECONDS", "900",
              "PYRELEASE_BUILD_BACKOFF_LIMIT", "1",
              "PYRELEASE_BUILD_TTL_SECONDS", "3600",
              "PYRELEASE_BUILD_MEMORY", "3Gi"));
  static final BuildJobBuilder.Request REQ =
      new BuildJobBuilder.Request(
          5, "c".repeat(40), "k".repeat(64), "r".repeat(64), "registry.internal/python:3.11");

  Job job() {
    return BuildJobBuilder.desired(ReleaseFixture.shop(), REQ, CONFIG.buildJob());
  }

  @Test
  void labelledOwnedAndBounded() {
    Job j = job();
    assertThat(j.getMetadata().getName()).isEqualTo("shop-build-r5");
    assertThat(j.getMetadata().getLabels())
        .containsEntry(Labels.RELEASE, "shop")
        .containsEntry(Labels.REVISION, "5");
    assertThat(j.getMetadata().getAnnotations()).containsEntry(Labels.BUILD_KEY, "k".repeat(64));
    assertThat(j.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(j.getSpec().getActiveDeadlineSeconds()).isEqualTo(900);
    assertThat(j.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(j.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    var pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("source", "venv");
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("assemble");
    for (Container c : all(j)) {
      assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    }
    assertThat(pod.getContainers().get(0).getResources().getLimits().get("memory").toString())
        .isEqualTo("3Gi");
  }

  @Test
  void imagesAndArguments() {
    var pod = job().getSpec().getTemplate().getSpec();
    Container source = pod.getInitContainers().get(0);
    Container venv = pod.getInitContainers().get(1);
    Container assemble = pod.getContainers().get(0);
    assertThat(source.getImage()).isEqualTo("registry.internal/pyrelease:1.0");
    assertThat(source.getArgs()).startsWith("source").contains("--commit", "c".repeat(40));
    // the venv container's image is the base: the source step must never choose app-only
    assertThat(source.getArgs()).contains("--venv-in-base-image");
    // the root filesystem is read-only: HOME on the tmp emptyDir (JGit, pip, Jib write there)
    for (Container c : List.of(source, venv, assemble)) {
      assertThat(c.getEnv())
          .extracting(e -> e.getName() + "=" + e.getValue())
          .contains("HOME=/tmp");
    }
    // the short-lived build JVMs run with C1 only and map the image's class-data archive; the
    // Python container gets no JVM options
    for (Container c : List.of(source, assemble)) {
      assertThat(c.getEnv())
          .extracting(e -> e.getName() + "=" + e.getValue())
          .contains(
              "JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1"
                  + " -XX:SharedArchiveFile=/opt/pyrelease/cds/steps.jsa -Xlog:cds=off");
    }
    assertThat(venv.getEnv()).extracting(e -> e.getName()).doesNotContain("JAVA_TOOL_OPTIONS");
    // JGit's config under the writable tmp, not "/" (the build uid has no passwd entry)
    for (Container c : List.of(source, assemble)) {
      assertThat(c.getEnv())
          .extracting(e -> e.getName() + "=" + e.getValue())
          .contains("XDG_CONFIG_HOME=/tmp/.config");
    }
    assertThat(source.getArgs()).doesNotContain("--insecure-registry");
    assertThat(BuildSteps.loopback("127.0.0.1:5000/web/shop")).isTrue();
    assertThat(BuildSteps.loopback("localhost:5001/shop")).isTrue();
    assertThat(BuildSteps.loopback("registry.internal/web/shop")).isFalse();
    assertThat(BuildSteps.loopback("127.0.0.1.example.com/shop")).isFalse();
    assertThat(venv.getImage()).isEqualTo("registry.internal/python:3.11");
    assertThat(venv.getCommand()).containsExactly("python3");
    assertThat(venv.getArgs().get(0)).isEqualTo("/workspace/venv.py");
    assertThat(assemble.getImage()).isEqualTo("registry.internal/pyrelease:1.0");
    assertThat(assemble.getArgs())
        .startsWith("assemble")
        .contains("--result-file", "/dev/termination-log");
    assertThat(assemble.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    // each step writes its error where the kubelet reads the termination message
    assertThat(source.getArgs()).containsSequence("--termination-log", "/dev/termination-log");
    assertThat(venv.getArgs()).containsSequence("--termination-log", "/dev/termination-log");
    // and a failed step that wrote none (a crash) has its log tail as the message
    for (Container c : List.of(source, venv, assemble)) {
      assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }
  }

  @Test
  void eachSecretOnlyInItsStepAsFilesNeverEnv() {
    var pod = job().getSpec().getTemplate().getSpec();
    assertThat(mounts(pod.getInitContainers().get(0)))
        .contains("git-credentials")
        .doesNotContain("index-credentials", "push-credentials");
    assertThat(mounts(pod.getInitContainers().get(1)))
        .contains("index-credentials")
        .doesNotContain("git-credentials", "push-credentials");
    assertThat(mounts(pod.getContainers().get(0)))
        .contains("push-credentials")
        .doesNotContain("git-credentials", "index-credentials");
    for (Container c : all(job())) {
      if (c.getEnv() != null) {
        c.getEnv().forEach(e -> assertThat(e.getValueFrom()).isNull());
      }
      assertThat(c.getEnvFrom()).isNullOrEmpty();
    }
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactlyInAnyOrder("shop-git", "pyrepo-auth", "registry-push");
    // each secret's files are what the step reads
    assertThat(pod.getInitContainers().get(0).getArgs())
        .containsSequence("--git-credentials", BuildJobBuilder.GIT_SECRET_DIR);
    assertThat(pod.getInitContainers().get(1).getArgs())
        .containsSequence("--netrc", BuildJobBuilder.INDEX_SECRET_DIR + "/netrc");
    assertThat(pod.getContainers().get(0).getArgs())
        .containsSequence("--docker-config", BuildJobBuilder.PUSH_SECRET_DIR + "/config.json");
    var push =
        pod.getVolumes().stream()
            .filter(v -> "push-credentials".equals(v.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(push.getSecret().getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKey()).isEqualTo(".dockerconfigjson");
              assertThat(i.getPath()).isEqualTo("config.json");
            });
  }

  @Test
  void theContainersAreGivenTheStepsArguments() {
    var steps = BuildSteps.of(ReleaseFixture.shop(), REQ);
    var pod = job().getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers().get(0).getArgs()).isEqualTo(steps.source().toArgs());
    assertThat(pod.getInitContainers().get(1).getCommand()).isEqualTo(steps.venv().command());
    assertThat(pod.getInitContainers().get(1).getArgs()).isEqualTo(steps.venv().toArgs());
    assertThat(pod.getContainers().get(0).getCommand()).isNullOrEmpty();
    assertThat(pod.getContainers().get(0).getArgs()).isEqualTo(steps.assemble().toArgs());
    assertThat(steps.source())
        .isEqualTo(
            new SourceArgs(
                BuildSteps.releaseJson(ReleaseFixture.shop()),
                "https://git.internal/shop.git",
                "c".repeat(40),
                BuildJobBuilder.GIT_SECRET_DIR,
                "/workspace/checkout",
                "/workspace",
                "registry.internal/python:3.11",
                "registry.internal/web/shop",
                true,
                "/dev/termination-log",
                false));
  }

  @Test
  void withoutSecretsNoCredentialOptionsAndLoopbackIsInsecure() {
    var release = ReleaseFixture.shop();
    release.getSpec().getSource().getGit().setSecretRef(null);
    release.getSpec().getIndex().setSecretRef(null);
    release.getSpec().getImage().setPushSecretRef(null);
    release.getSpec().getImage().setRepository("127.0.0.1:5000/web/shop");
    var steps = BuildSteps.of(release, REQ);
    assertThat(steps.source().gitCredentials()).isNull();
    assertThat(steps.source().insecureRegistry()).isTrue();
    assertThat(steps.venv().netrc()).isNull();
    assertThat(steps.assemble().dockerConfig()).isNull();
    assertThat(steps.assemble().insecureRegistry()).isTrue();
    assertThat(steps.source().toArgs())
        .doesNotContain("--git-credentials")
        .endsWith("--insecure-registry");
    assertThat(steps.venv().toArgs()).doesNotContain("--netrc");
    assertThat(steps.assemble().toArgs())
        .containsExactly(
            "assemble",
            "--workspace",
            "/workspace",
            "--insecure-registry",
            "--output",
            "json",
            "--result-file",
            "/dev/termination-log");
  }

  @Test
  void credentialsOverHttpReachTheAssembleStepOnlyWhenConfiguredAndOnlyForPlainHttp() {
    var loopback = ReleaseFixture.shop();
    loopback.getSpec().getImage().setRepository("127.0.0.1:5000/web/shop");
    var on =
        OperatorConfig.from(
                Map.of(
                    "PYRELEASE_OPERATOR_IMAGE",
                    "registry.internal/pyrelease:1.0",
                    "PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP",
                    "true"))
            .buildJob();
    Job job = BuildJobBuilder.desired(loopback, REQ, on);
    var assemble =
        job.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("assemble"))
            .findFirst()
            .orElseThrow();
    assertThat(assemble.getArgs())
        .containsSubsequence("--insecure-registry", "--registry-credentials-over-http");
    // the other steps never send registry credentials
    job.getSpec().getTemplate().getSpec().getInitContainers().stream()
        .forEach(
            c ->
                assertThat(c.getArgs() == null ? List.<String>of() : c.getArgs())
                    .doesNotContain("--registry-credentials-over-http"));
    // off by default; and a registry reached over TLS never gets it
    assertThat(BuildSteps.of(loopback, REQ).assemble().toArgs())
        .doesNotContain("--registry-credentials-over-http");
    assertThat(BuildSteps.of(ReleaseFixture.shop(), REQ, true).assemble().toArgs())
        .doesNotContain("--registry-credentials-over-http");
  }

  static PythonRelease withCommands() {
    PythonRelease r = ReleaseFixture.shop();
    BuildSpec build = new BuildSpec();
    build.setCommands(
        List.of(
            List.of("python", "manage.py", "collectstatic", "--noinput"),
            List.of("python", "manage.py", "compilemessages")));
    r.getSpec().setBuild(build);
    return r;
  }

  @Test
  void buildCommandsRunInAContainerOfTheirOwnWithTheVenvReadOnlyAndNoSecret() {
    Job j = BuildJobBuilder.desired(withCommands(), REQ, CONFIG.buildJob());
    var pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("source", "venv", "commands");
    Container commands = pod.getInitContainers().get(2);
    assertThat(commands.getImage()).isEqualTo(REQ.baseImage());
    assertThat(commands.getCommand()).containsExactly("python3");
    assertThat(commands.getArgs())
        .containsExactly(
            "/workspace/venv.py",
            "--from-plan",
            "/workspace/plan.json",
            "--commands-only",
            "--termination-log",
            "/dev/termination-log");
    var steps = BuildSteps.of(withCommands(), REQ);
    assertThat(commands.getArgs()).isEqualTo(steps.commands().toArgs());
    assertThat(commands.getVolumeMounts())
        .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
        .containsExactlyInAnyOrder(
            "tmp /tmp null", "workspace /workspace null", "venv /opt/venv true", "app /app null");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("app"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(commands.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(commands.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(commands.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(commands.getEnv()).extracting(e -> e.getName()).containsExactly("HOME");
    // the commands travel in the release the source step keys and plans them from
    assertThat(steps.source().releaseJson()).contains("compilemessages");
    // the venv and assemble containers are those of a release without commands
    var plainPod = job().getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers().get(1)).isEqualTo(plainPod.getInitContainers().get(1));
    assertThat(pod.getContainers()).isEqualTo(plainPod.getContainers());
    assertThat(plainPod.getVolumes()).noneMatch(v -> v.getName().equals("app"));
    assertThat(BuildSteps.of(ReleaseFixture.shop(), REQ).commands()).isNull();
  }

  static final BuildJobBuilder.Request WITH_BUILD_IMAGE =
      new BuildJobBuilder.Request(
          5,
          "c".repeat(40),
          "k".repeat(64),
          "r".repeat(64),
          "registry.internal/python:3.11@sha256:" + "1".repeat(64),
          "registry.internal/python-build:3.11@sha256:" + "2".repeat(64));

  @Test
  void aBuildImageRunsTheVenvBetweenTheRunImagesInterpreterProbeAndItsLibraryCheck() {
    var release = ReleaseFixture.shop();
    release.getSpec().getPython().setBuildImage("registry.internal/python-build:3.11");
    var pod =
        BuildJobBuilder.desired(release, WITH_BUILD_IMAGE, CONFIG.buildJob())
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getInitContainers())
        .extracting(c -> c.getName() + " " + c.getImage())
        .containsExactly(
            "source registry.internal/pyrelease:1.0",
            "interpreter " + WITH_BUILD_IMAGE.baseImage(),
            "venv " + WITH_BUILD_IMAGE.buildImage(),
            "libraries " + WITH_BUILD_IMAGE.baseImage());
    Container interpreter = pod.getInitContainers().get(1);
    Container libraries = pod.getInitContainers().get(3);
    assertThat(interpreter.getCommand()).containsExactly("python3");
    assertThat(interpreter.getArgs())
        .containsExactly(
            "/workspace/venv.py",
            "--from-plan",
            "/workspace/plan.json",
            "--probe-interpreter",
            "--termination-log",
            "/dev/termination-log");
    assertThat(libraries.getArgs())
        .contains("--check-libraries")
        .doesNotContain("--probe-interpreter");
    for (Container check : List.of(interpreter, libraries)) {
      // no Secret; the venv read-only; hardened like every step
      assertThat(check.getVolumeMounts())
          .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
          .containsExactlyInAnyOrder(
              "tmp /tmp null", "workspace /workspace null", "venv /opt/venv true");
      assertThat(check.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(check.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }
    // the source step keys the build image the operator resolved, not the tag again
    String json = BuildSteps.of(release, WITH_BUILD_IMAGE).source().releaseJson();
    assertThat(json).contains(WITH_BUILD_IMAGE.buildImage());
    // without one, the Job is as before, and a build image in the spec that the operator did not
    // resolve as another image (the base itself) is not handed to the source step
    assertThat(BuildSteps.of(release, REQ).source().releaseJson()).doesNotContain("python-build");
    assertThat(release.getSpec().getPython().getBuildImage())
        .isEqualTo("registry.internal/python-build:3.11");
  }

  @Test
  void pureSameInputsSameJob() {
    assertThat(job()).isEqualTo(job());
    assertThat(BuildJobBuilder.desired(withCommands(), REQ, CONFIG.buildJob()))
        .isEqualTo(BuildJobBuilder.desired(withCommands(), REQ, CONFIG.buildJob()));
  }

  static List<String> mounts(Container c) {
    return c.getVolumeMounts().stream().map(VolumeMount::getName).toList();
  }

  static List<Container> all(Job j) {
    var pod = j.getSpec().getTemplate().getSpec();
    return java.util.stream.Stream.concat(
            pod.getInitContainers().stream(), pod.getContainers().stream())
        .toList();
  }
}
