package dev.pyrelease.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.kube.DeploymentBuilder;
import dev.pyrelease.kube.ReleaseFixture;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PodRunner's translation of pod specs into podman command lines (no podman needed). */
class PodRunnerTest {
  static final OperatorConfig CONFIG =
      OperatorConfig.from(Map.of("PYRELEASE_OPERATOR_IMAGE", "reg/pyrelease:1"));

  static PodSpec buildPod() {
    return BuildJobBuilder.desired(
            ReleaseFixture.shop(),
            new BuildJobBuilder.Request(
                3, "c".repeat(40), "k".repeat(64), "r".repeat(64), "reg/python:3.11"),
            CONFIG.buildJob())
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  static PodRunner runner(PodSpec spec, Path dir, String network) {
    return new PodRunner(
        "podman",
        "p",
        spec,
        name ->
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "username", "u",
                        "password", "p",
                        "netrc", "machine x login u password p",
                        ".dockerconfigjson", "{}"))
                .build(),
        dir,
        network);
  }

  @Test
  void buildJobContainers(@TempDir Path dir) throws Exception {
    PodSpec spec = buildPod();
    PodRunner r = runner(spec, dir, "host");
    r.prepareVolumes();
    var venv = r.invocation(spec.getInitContainers().get(1), false, List.of(Path.of("/repo")));
    assertThat(venv.argv())
        .startsWith("podman", "run")
        .contains(
            "--network=host",
            "--user=65532:65532",
            "--group-add=65532",
            "--read-only",
            "--read-only-tmpfs=false",
            "--security-opt=no-new-privileges",
            "--cap-drop=ALL",
            "--cpus=2",
            "--memory=2147483648",
            "--env=HOME=/tmp",
            "--entrypoint=[\"python3\"]",
            "--volume=" + dir.resolve("volumes/workspace") + ":/workspace:rw",
            "--volume="
                + dir.resolve("volumes/index-credentials")
                + ":"
                + BuildJobBuilder.INDEX_SECRET_DIR
                + ":ro",
            "--volume=/repo:/repo:ro")
        .endsWith(
            "reg/python:3.11",
            "/workspace/venv.py",
            "--from-plan",
            "/workspace/plan.json",
            "--termination-log",
            "/dev/termination-log",
            "--netrc",
            BuildJobBuilder.INDEX_SECRET_DIR + "/netrc");
    var assemble = r.invocation(spec.getContainers().get(0), false, List.of());
    assertThat(assemble.argv())
        .contains(
            "--volume=" + dir.resolve("assemble.termination-log") + ":/dev/termination-log:rw")
        .noneMatch(a -> a.startsWith("--entrypoint"))
        .containsSequence("reg/pyrelease:1", "assemble");
    // secrets: items honoured, mode 0440, group fsGroup (as the kubelet does)
    Path cfg = dir.resolve("volumes/push-credentials/config.json");
    assertThat(cfg).hasContent("{}");
    assertThat(dir.resolve("volumes/push-credentials/.dockerconfigjson")).doesNotExist();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg)))
        .isEqualTo("r--r-----");
    assertThat(dir.resolve("volumes/index-credentials/netrc")).exists();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("volumes/workspace"))))
        .isEqualTo("rwxrwxrwx");
  }

  @Test
  void deploymentContainer(@TempDir Path dir) throws Exception {
    var release = ReleaseFixture.shop();
    release
        .getSpec()
        .getRun()
        .setReadinessProbe(
            new io.fabric8.kubernetes.api.model.ProbeBuilder()
                .withNewHttpGet()
                .withPath("/healthz")
                .withNewPort(8000)
                .endHttpGet()
                .build());
    PodSpec spec =
        DeploymentBuilder.desired(release, 2, "reg/shop@sha256:" + "a".repeat(64), 1)
            .getSpec()
            .getTemplate()
            .getSpec();
    PodRunner r = runner(spec, dir, "none");
    r.prepareVolumes();
    var app = r.invocation(spec.getContainers().get(0), true, List.of());
    assertThat(app.argv())
        .contains("-d", "--network=none", "--restart=always", "--read-only")
        .contains("--volume=" + dir.resolve("volumes/tmp") + ":/tmp:rw")
        .contains(
            "--entrypoint="
                + new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(spec.getContainers().get(0).getCommand()));
    assertThat(app.argv().get(app.argv().size() - 1))
        .isEqualTo("reg/shop@sha256:" + "a".repeat(64));
  }

  @Test
  void aProcessOfTheWholeAppRunsAsThePodWould(@TempDir Path dir) throws Exception {
    var release = ReleaseFixture.shop();
    var pod = new dev.pyrelease.api.v1alpha1.PodOptions();
    pod.setImagePullSecrets(
        List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference("registry-pull")));
    pod.setEnvFrom(
        List.of(
            new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                .withNewSecretRef()
                .withName("shop-db")
                .endSecretRef()
                .build(),
            new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                .withPrefix("OPT_")
                .withNewSecretRef()
                .withName("absent")
                .withOptional(true)
                .endSecretRef()
                .build()));
    pod.setEnv(
        List.of(
            new io.fabric8.kubernetes.api.model.EnvVar("SHOP_ALLOWED_HOSTS", "*", null),
            new io.fabric8.kubernetes.api.model.EnvVar("SHOP_DEBUG", "0", null)));
    pod.setTerminationGracePeriodSeconds(7L);
    release.getSpec().setPod(pod);
    var healthz =
        new io.fabric8.kubernetes.api.model.ProbeBuilder()
            .withNewHttpGet()
            .withPath("/healthz")
            .withNewPort(8000)
            .endHttpGet()
            .build();
    release.getSpec().getRun().setReadinessProbe(healthz);
    release
        .getSpec()
        .getRun()
        .setLivenessProbe(
            new io.fabric8.kubernetes.api.model.ProbeBuilder()
                .withNewHttpGet()
                .withPath("/healthz")
                .withNewPort(8000)
                .endHttpGet()
                .build());
    PodSpec spec =
        DeploymentBuilder.desired(release, 2, "reg/shop@sha256:" + "a".repeat(64), 1)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(spec.getShareProcessNamespace()).isTrue();
    PodRunner r =
        new PodRunner(
            "podman",
            "p",
            spec,
            name ->
                name.equals("shop-db")
                    ? new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withData(
                            Map.of(
                                "DATABASE_URL",
                                java.util.Base64.getEncoder()
                                    .encodeToString("postgresql://u:p@h/db".getBytes()),
                                "SHOP_DEBUG",
                                java.util.Base64.getEncoder().encodeToString("1".getBytes())))
                        .build()
                    : null,
            dir,
            PodRunner.POD_NETWORK);
    r.prepareVolumes();
    var app = r.invocation(spec.getContainers().get(0), true, List.of());
    // the app is not PID 1; the grace period is the pod's; secrets stay off the command line
    assertThat(app.argv())
        .contains(
            "--init",
            "--stop-timeout=7",
            "--network=" + PodRunner.POD_NETWORK,
            "--env-file=" + dir.resolve("app.env"),
            "--env=SHOP_ALLOWED_HOSTS=*",
            "--env=SHOP_DEBUG=0")
        .noneMatch(a -> a.contains("postgresql://"));
    // envFrom as the kubelet resolves it: env wins over a Secret's key, an optional one may be
    // missing
    assertThat(dir.resolve("app.env")).hasContent("DATABASE_URL=postgresql://u:p@h/db\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("app.env"))))
        .isEqualTo("rw-------");

    // a Secret the pod needs is missing: the pod would not start
    PodRunner noSecret = new PodRunner("podman", "p", spec, name -> null, dir, "none");
    noSecret.prepareVolumes();
    assertThatThrownBy(() -> noSecret.invocation(spec.getContainers().get(0), true, List.of()))
        .hasMessageContaining("secret shop-db (envFrom of app) is missing");
  }

  @Test
  void aPodThatDoesNotShareItsProcessNamespaceRunsTheAppAsPid1(@TempDir Path dir) throws Exception {
    PodSpec spec = buildPod();
    assertThat(spec.getShareProcessNamespace()).isNotEqualTo(Boolean.TRUE);
    PodRunner r = runner(spec, dir, "host");
    r.prepareVolumes();
    assertThat(r.invocation(spec.getContainers().get(0), false, List.of()).argv())
        .doesNotContain("--init")
        .contains("--stop-timeout=30");
  }

  @Test
  void whatCannotBeHonouredFailsLoudly(@TempDir Path dir) {
    PodSpec hostPath =
        new PodSpecBuilder(buildPod())
            .addNewVolume()
            .withName("host")
            .withNewHostPath()
            .withPath("/etc")
            .endHostPath()
            .endVolume()
            .build();
    assertThatThrownBy(() -> runner(hostPath, dir, "host"))
        .isInstanceOf(PodRunner.Unsupported.class)
        .hasMessageContaining("volume host");
    PodSpec hostNet = new PodSpecBuilder(buildPod()).withHostNetwork(true).build();
    assertThatThrownBy(() -> runner(hostNet, dir, "host")).hasMessageContaining("hostNetwork");
    PodSpec valueFrom = buildPod();
    valueFrom
        .getContainers()
        .get(0)
        .setEnv(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                    .withName("X")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endValueFrom()
                    .build()));
    assertThatThrownBy(() -> runner(valueFrom, dir, "host")).hasMessageContaining("valueFrom");
    PodSpec token = new PodSpecBuilder(buildPod()).withAutomountServiceAccountToken(null).build();
    assertThatThrownBy(() -> runner(token, dir, "host"))
        .hasMessageContaining("service account token");
    PodSpec liveness = buildPod();
    liveness
        .getContainers()
        .get(0)
        .setLivenessProbe(
            new io.fabric8.kubernetes.api.model.ProbeBuilder()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .build());
    assertThatThrownBy(() -> runner(liveness, dir, "host")).hasMessageContaining("livenessProbe");
    PodSpec configMapEnv = buildPod();
    configMapEnv
        .getContainers()
        .get(0)
        .setEnvFrom(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                    .withNewConfigMapRef()
                    .withName("settings")
                    .endConfigMapRef()
                    .build()));
    assertThatThrownBy(() -> runner(configMapEnv, dir, "host"))
        .hasMessageContaining("envFrom other than a secretRef");
    PodSpec account = new PodSpecBuilder(buildPod()).withServiceAccountName("shop").build();
    assertThatThrownBy(() -> runner(account, dir, "host"))
        .hasMessageContaining("serviceAccountName");
  }

  @Test
  void aFailedContainersLogTailIsItsMessageAsTheKubeletTakesIt() {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      log.append("line ").append(i).append('\n');
    }
    String tail = PodRunner.kubeletLogTail(log.toString());
    assertThat(tail.lines()).hasSize(80).startsWith("line 21").endsWith("line 100");
    String wide = ("x".repeat(99) + "\n").repeat(30) + "the error";
    String cut = PodRunner.kubeletLogTail(wide);
    assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(2048);
    assertThat(cut).endsWith("the error");
  }
}
