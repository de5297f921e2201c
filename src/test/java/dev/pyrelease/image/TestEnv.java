package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real test environment (scripts/testenv): read from the environment, never skipped. */
final class TestEnv {

  private TestEnv() {}

  static String require(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      fail(
          "environment variable %s is not set: start the test environment with "
              + "`scripts/testenv up && . .testenv/env` (the README's test command does this)",
          name);
    }
    return v;
  }

  static String registry() {
    return require("PYRELEASE_REGISTRY");
  }

  static String baseImage() {
    return require("PYRELEASE_BASE_IMAGE");
  }

  static Path baseTar() {
    return Path.of(require("PYRELEASE_BASE_TAR"));
  }

  static String indexUrl() {
    return require("PYRELEASE_INDEX_URL");
  }

  /** Result of a command. */
  record Run(int exit, String out) {}

  /** Runs a command (podman needs the CONTAINERS_* variables, inherited from the env). */
  static Run run(List<String> cmd, Path cwd, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
    if (cwd != null) {
      pb.directory(cwd.toFile());
    }
    Map<String, String> env = pb.environment();
    env.remove("PIP_CONFIG_FILE");
    Process p = pb.start();
    byte[] out;
    try (var in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: %s", cmd);
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static Run runOk(List<String> cmd, Path cwd, long timeoutSeconds)
      throws IOException, InterruptedException {
    Run r = run(cmd, cwd, timeoutSeconds);
    if (r.exit() != 0) {
      fail("%s exited %d:%n%s", String.join(" ", cmd), r.exit(), r.out());
    }
    return r;
  }
}
