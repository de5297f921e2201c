package dev.pyrelease.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the end-to-end tests share: the test environment's variables, the operator image (built once
 * per JVM, whichever test asks first), and the file helpers of their git repositories.
 */
final class E2eSupport {
  private static String operatorImage;

  private E2eSupport() {}

  static String require(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      fail(
          name
              + " is not set: this test needs the real test environment; run it with"
              + " scripts/test, or `scripts/testenv up && . .testenv/env` first");
    }
    return v;
  }

  /**
   * The operator image in {@code registry}: {@code PYRELEASE_E2E_OPERATOR_IMAGE} when it names one
   * already pushed, else built with {@code scripts/operator-image} (under {@code work}) once per
   * JVM.
   */
  static synchronized String operatorImage(String registry, Path work) throws Exception {
    String given = System.getenv("PYRELEASE_E2E_OPERATOR_IMAGE");
    if (given != null && !given.isBlank()) {
      return given.substring(given.indexOf(registry)).trim();
    }
    if (operatorImage != null) {
      return operatorImage;
    }
    Path out = work.resolve("operator-image-build");
    String to =
        registry
            + "/pyrelease/operator:e2e-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    long t0 = System.nanoTime();
    ProcessBuilder pb =
        // --verify: among others, the class-data archive the Job's JVMs name must map
        new ProcessBuilder("scripts/operator-image", "--to", to, "--verify")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PYRELEASE_BUILD_DIR", out.toString());
    Process p = pb.start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("scripts/operator-image --to " + to + " failed: " + stdout);
    }
    // the last line is repo@digest (maven's colour codes may precede it on the same stream)
    String last = stdout.lines().reduce((a, b) -> b).orElseThrow();
    operatorImage = last.substring(last.indexOf(registry)).trim();
    System.out.printf(
        "[e2e] operator image %s built in %.1fs%n", operatorImage, (System.nanoTime() - t0) / 1e9);
    return operatorImage;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  /** The build pod runs as uid 65532: the repository must be readable by others. */
  static void openForOthers(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  /** Deletes a directory tree, best effort. */
  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
