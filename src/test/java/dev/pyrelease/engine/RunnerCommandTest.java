package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerCommandTest {
  private final Workspace ws = new Workspace(Path.of("/tmp/ws"));

  private VenvInvocation full(Path netrc) {
    return new VenvInvocation(
        ws, "base:3.11", false, ".", "http://127.0.0.1:1/simple/", List.of(), true, "3.11", netrc);
  }

  @Test
  void aBaseArchiveRunsThroughPodmansDockerArchiveTransportAndDockerSaysWhatToDo(
      @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path tar = java.nio.file.Files.writeString(tmp.resolve("base.tar"), "not read here");
    ContainerRunner podman = new ContainerRunner("podman", Map.of(), false, null);
    assertThat(podman.imageReference(tar.toString())).isEqualTo("docker-archive:" + tar);
    assertThat(podman.imageReference("base:3.11")).isEqualTo("base:3.11");
    // a name that merely ends in .tar is not a file: left as it is
    assertThat(podman.imageReference("/nowhere/base.tar")).isEqualTo("/nowhere/base.tar");
    ContainerRunner docker = new ContainerRunner("docker", Map.of(), false, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> docker.imageReference(tar.toString()))
        .isInstanceOf(BuildException.class)
        .hasMessage(
            "--base "
                + tar
                + " is an archive: runner docker cannot run one; use --runner podman or host, or"
                + " 'docker load' it and give its name");
  }

  @Test
  void podmanRunsTheScriptInTheBaseImageWithTheVenvAtItsFinalPath() {
    ContainerRunner podman = new ContainerRunner("podman", Map.of(), true, null);
    assertThat(podman.command(full(Path.of("/secrets/netrc"))))
        .containsExactly(
            "podman",
            "run",
            "--rm",
            "--network",
            "host",
            "--tls-verify=false",
            "-v",
            "/tmp/ws:/workspace",
            "-v",
            "/tmp/ws/venv:/opt/venv",
            "-v",
            "/secrets/netrc:/run/pyrelease/index/netrc:ro",
            "--user",
            "0:0",
            "--entrypoint",
            "python3",
            "base:3.11",
            "/workspace/venv.py",
            "--requirements",
            "/workspace/requirements.txt",
            "--index-url",
            "http://127.0.0.1:1/simple/",
            "--require-hashes",
            "--app",
            "/workspace/src",
            "--venv",
            "/opt/venv",
            "--out",
            "/workspace/out",
            "--wheels",
            "/workspace/wheels",
            "--python-version",
            "3.11",
            "--netrc",
            "/run/pyrelease/index/netrc");
  }

  @Test
  void appOnlyRunsInTheDependencyImageWithoutMountingAVenv() {
    ContainerRunner docker = new ContainerRunner("docker", Map.of(), true, null);
    VenvInvocation inv =
        new VenvInvocation(
            ws, "reg/shop:deps-1", true, "app", "http://i/simple/", List.of(), true, "3.11", null);
    List<String> cmd = docker.command(inv);
    assertThat(cmd)
        .doesNotContain("/tmp/ws/venv:/opt/venv", "--tls-verify=false", "--requirements");
    assertThat(cmd).containsSequence("reg/shop:deps-1", "/workspace/venv.py", "--app-only");
    assertThat(cmd).containsSequence("--app", "/workspace/src/app");
    assertThat(cmd)
        .containsSequence("-e", "PATH=" + dev.pyrelease.image.ImageSettings.DEFAULT_BASE_PATH);
  }

  @Test
  void aBuildImagesVenvStepNamesTheRunImageAndTheRunImagesChecksAreIsolated() {
    ContainerRunner podman = new ContainerRunner("podman", Map.of(), true, null);
    VenvInvocation full =
        new VenvInvocation(
            ws,
            "gcc:3.11@sha256:2",
            false,
            "app",
            "http://i/simple/",
            List.of(),
            false,
            "3.11",
            null,
            VenvInvocation.Commands.NONE,
            false,
            VenvInvocation.Task.VENV,
            "base:3.11@sha256:1");
    assertThat(podman.command(full))
        .containsSequence("--network", "host")
        .containsSequence("gcc:3.11@sha256:2", "/workspace/venv.py", "--requirements")
        .containsSequence(
            "--run-image", "base:3.11@sha256:1", "--build-image", "gcc:3.11@sha256:2");
    for (VenvInvocation.Task task :
        List.of(VenvInvocation.Task.PROBE_INTERPRETER, VenvInvocation.Task.CHECK_LIBRARIES)) {
      List<String> cmd = podman.command(VenvInvocation.check(ws, "base:3.11@sha256:1", task));
      // no network, no credentials, the venv read-only, only out/ writable
      assertThat(cmd)
          .containsSequence("--network", "none")
          .contains("--read-only", "/tmp/ws:/workspace:ro", "/tmp/ws/venv:/opt/venv:ro")
          .doesNotContain("--netrc", "--requirements", "--run-image");
      assertThat(cmd.subList(cmd.indexOf("base:3.11@sha256:1"), cmd.size()))
          .containsExactly(
              "base:3.11@sha256:1",
              "/workspace/venv.py",
              task == VenvInvocation.Task.PROBE_INTERPRETER
                  ? "--probe-interpreter"
                  : "--check-libraries",
              "--venv",
              "/opt/venv",
              "--out",
              "/workspace/out");
    }
  }

  @Test
  void buildCommandsRunWithoutNetworkOnlyTheAppWritableAndNoCredentials() {
    ContainerRunner podman =
        new ContainerRunner("podman", Map.of(), true, Path.of("/secrets/auth.json"));
    // after a full venv step: the base image, the workspace's venv read-only
    List<String> cmd = podman.command(VenvInvocation.commandsOnly(ws, "base:3.11"));
    assertThat(cmd)
        .containsSequence("podman", "run", "--rm", "--network", "none")
        .containsSequence("--read-only", "--tmpfs", "/tmp")
        .containsSequence("-v", "/tmp/ws:/workspace:ro")
        .containsSequence("-v", "/tmp/ws/out:/workspace/out")
        .containsSequence("-v", "/tmp/ws/out/app-files:/app")
        .containsSequence("-v", "/tmp/ws/venv:/opt/venv:ro")
        .containsSequence("--user", "0:0")
        .doesNotContain("host", "/tmp/ws:/workspace", "/tmp/ws/venv:/opt/venv");
    assertThat(cmd.subList(cmd.indexOf("base:3.11"), cmd.size()))
        .containsExactly(
            "base:3.11",
            "/workspace/venv.py",
            "--commands-only",
            "--build-commands",
            "/workspace/build-commands.json",
            "--termination-log",
            "/workspace/out/commands-error.txt",
            "--venv",
            "/opt/venv",
            "--out",
            "/workspace/out");
    // app-only with the commands: one run in the dependency image, its own venv (read-only root)
    VenvInvocation appOnly =
        new VenvInvocation(
            ws,
            "reg/shop:deps-1",
            true,
            ".",
            "http://i/simple/",
            List.of(),
            false,
            "3.11",
            null,
            VenvInvocation.Commands.AFTER_APP);
    List<String> one = podman.command(appOnly);
    assertThat(one)
        .containsSequence("--network", "none")
        .containsSequence("--read-only", "--tmpfs", "/tmp")
        .containsSequence("-v", "/tmp/ws/out/app-files:/app")
        .doesNotContain("/tmp/ws/venv:/opt/venv:ro", "--netrc")
        // python3 is the dependency image's (its venv's): the app is plain files, no pip needed
        .noneMatch(a -> a.startsWith("PATH="));
    assertThat(one)
        .containsSequence(
            "--app-only", "--index-url", "http://i/simple/", "--app", "/workspace/src")
        .containsSequence(
            "--build-commands",
            "/workspace/build-commands.json",
            "--termination-log",
            "/workspace/out/commands-error.txt");
  }

  @Test
  void aRunWithTheBuildCommandsTakesNoCredentials() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new VenvInvocation(
                    ws,
                    "x",
                    true,
                    ".",
                    null,
                    List.of(),
                    false,
                    null,
                    Path.of("/secrets/netrc"),
                    VenvInvocation.Commands.AFTER_APP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHostRunnerRunsBuildCommandsWithoutNetworkTheVenvReadOnlyAndTheAppOnApp() {
    HostRunner host = new HostRunner("python3", Map.of("PATH", "/usr/bin", "PIP_INDEX_URL", "x"));
    List<String> cmd = host.command(VenvInvocation.commandsOnly(ws, "ignored"));
    assertThat(cmd.subList(0, 6))
        .containsExactly("unshare", "--mount", "--net", "--propagation", "private", "--");
    assertThat(cmd.get(8))
        .contains("mount --bind \"$0\" /opt/venv && mount -o remount,bind,ro /opt/venv")
        .contains("mount --bind \"$1\" /app")
        .contains("mount -t tmpfs -o mode=0755 pyrelease /tmp/pyrelease-commands")
        .endsWith("; shift; exec \"$@\"");
    assertThat(cmd.subList(9, 13))
        .containsExactly("/tmp/ws/venv", "/tmp/ws/out/app-files", "python3", "-I");
    assertThat(cmd).containsSequence("/tmp/ws/venv.py", "--commands-only");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                host.command(
                    new VenvInvocation(
                        ws,
                        "x",
                        true,
                        ".",
                        null,
                        List.of(),
                        false,
                        null,
                        null,
                        VenvInvocation.Commands.AFTER_APP)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostRunsInAPrivateMountNamespaceWithoutPipVariables() {
    HostRunner host =
        new HostRunner(
            "python3",
            Map.of("PATH", "/usr/bin", "PIP_FIND_LINKS", "/opt/wheels", "PYTHONPATH", "/x"));
    List<String> cmd = host.command(full(null));
    assertThat(cmd.subList(0, 5))
        .containsExactly("unshare", "--mount", "--propagation", "private", "--");
    assertThat(cmd).containsSequence("/tmp/ws/venv", "python3", "-I", "/tmp/ws/venv.py");
    assertThat(cmd).containsSequence("--venv", "/opt/venv");
    assertThat(ProcessRunner.hermetic(Map.of("PATH", "/usr/bin", "PIP_INDEX_URL", "x")))
        .containsOnlyKeys("PATH");
  }

  @Test
  void theHostRunnerRequiresTheBaseImagesOwnInterpreter() {
    HostRunner host = new HostRunner("python3", System.getenv());
    HostRunner.Interpreter mine = host.interpreter();
    assertThat(Path.of(mine.path())).isAbsolute();
    assertThat(mine.version()).matches("3\\.\\d+\\.\\d+.*");
    assertThat(mine.sha256()).matches("[0-9a-f]{64}");
    java.util.List<String> asked = new java.util.ArrayList<>();

    // the same file at the same path: the venv will find its interpreter in the image
    host.requireTheBasesInterpreter(
        "base:1",
        p -> {
          asked.add(p);
          return java.util.Optional.of(mine.sha256());
        });
    assertThat(asked).containsExactly(mine.path());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> host.requireTheBasesInterpreter("base:1", p -> java.util.Optional.empty()))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.kind()).isEqualTo(BuildException.Kind.ENVIRONMENT))
        .hasMessageContaining("this machine's python3 is " + mine.path())
        .hasMessageContaining("the base image base:1 has no such file")
        .hasMessageContaining("Use --runner podman");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                host.requireTheBasesInterpreter(
                    "base:1", p -> java.util.Optional.of("0".repeat(64))))
        .hasMessageContaining("has another build of it there (sha256 000000000000");
  }

  @Test
  void findLinksAreRepeated() {
    VenvInvocation inv =
        new VenvInvocation(
            ws, "b", false, null, null, List.of("http://a/", "http://b/"), false, null, null);
    assertThat(inv.scriptArgs(Path::toString, null))
        .containsSequence("--find-links", "http://a/", "--find-links", "http://b/")
        .doesNotContain("--app", "--require-hashes", "--netrc");
  }

  @Test
  void scriptExitCodesMapToOurs() {
    var input = new ProcessRunner.Outcome(1, List.of("x", "venv: error: hash mismatch for a"));
    var env = new ProcessRunner.Outcome(2, List.of("venv: error: index unreachable: x"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProcessRunner.check("podman", input))
        .isInstanceOfSatisfying(
            BuildException.class, e -> assertThat(e.kind()).isEqualTo(BuildException.Kind.INPUT))
        .hasMessage("venv step: hash mismatch for a");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProcessRunner.check("podman", env))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.kind()).isEqualTo(BuildException.Kind.ENVIRONMENT))
        .hasMessage("venv step: index unreachable: x");
  }

  @Test
  void aMissingEngineIsAnEnvironmentFailureNamingIt() {
    ContainerRunner missing =
        new ContainerRunner("no-such-engine-xyz", Map.of("PATH", "/usr/bin"), false, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> missing.run(full(null), new java.io.PrintWriter(java.io.Writer.nullWriter())))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.kind()).isEqualTo(BuildException.Kind.ENVIRONMENT))
        .hasMessageContaining("runner no-such-engine-xyz: cannot start 'no-such-engine-xyz'");
  }
}
