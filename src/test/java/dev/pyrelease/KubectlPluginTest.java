package dev.pyrelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/kubectl-pyrelease} as kubectl finds and runs it: through a link on PATH (the
 * documented install), with the real kubectl, on a stand-in jar that prints its arguments.
 */
class KubectlPluginTest {
  @TempDir Path tmp;
  Path path;
  BinLauncherTest launcher = new BinLauncherTest();

  @BeforeEach
  void install() throws Exception {
    launcher.tmp = tmp;
    launcher.standInJar();
    path = Files.createDirectories(tmp.resolve("path"));
    Files.createSymbolicLink(
        path.resolve("kubectl-pyrelease"), Path.of("bin/kubectl-pyrelease").toAbsolutePath());
  }

  record Run(int exit, String out) {}

  Run kubectl(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("kubectl"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PATH", path + ":" + env.get("PATH"));
    env.put("PYRELEASE_JAR", launcher.jar.toString());
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    env.put("KUBECONFIG", tmp.resolve("no-kubeconfig").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    return new Run(p.waitFor(), out);
  }

  @Test
  void kubectlListsThePluginOnPath() throws Exception {
    Run r = kubectl("plugin", "list");
    assertThat(r.out()).contains(path.resolve("kubectl-pyrelease").toString());
  }

  @Test
  void eachClusterCommandReachesTheCliWithItsArguments() throws Exception {
    for (String cmd : List.of("status", "history", "rollback", "audit")) {
      Run r = kubectl("pyrelease", cmd, "shop", "-n", "web");
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(r.out()).endsWith("[" + cmd + ", shop, -n, web]\n");
    }
  }

  @Test
  void otherCommandsAreRefusedAndNoArgumentsPrintUsage() throws Exception {
    Run build = kubectl("pyrelease", "build", "-f", "x.yaml");
    assertThat(build.exit()).isEqualTo(2);
    assertThat(build.out()).contains("'build' is not one of status, history, rollback, audit");
    Run usage = kubectl("pyrelease");
    assertThat(usage.exit()).isZero();
    assertThat(usage.out())
        .contains("Usage: kubectl pyrelease COMMAND")
        .contains("status NAME", "history NAME", "rollback NAME --to N", "audit NAME[==VERSION]");
  }
}
