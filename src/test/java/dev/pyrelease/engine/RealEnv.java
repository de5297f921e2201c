package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real test environment ({@code scripts/testenv up}; {@code scripts/test} exports it): a
 * loopback registry, the machine's index over HTTP, the Python base image, podman. A missing
 * variable fails the test with the command that sets it up; nothing is skipped.
 */
final class RealEnv {
  final String registry = require("PYRELEASE_REGISTRY");
  final String indexUrl = require("PYRELEASE_INDEX_URL");
  final String baseImage = require("PYRELEASE_BASE_IMAGE");
  final Map<String, String> env = new HashMap<>(System.getenv());
  final Path cache;

  RealEnv() throws IOException {
    require("CONTAINERS_CONF");
    require("CONTAINERS_REGISTRIES_CONF");
    // Jib's cache and the per-repository workspaces of these builds: removed by close()
    cache = Files.createTempDirectory("pyrelease-it-cache-");
    env.put("PYRELEASE_CACHE_DIR", cache.toString());
  }

  void close() {
    Workspace.deleteTree(cache);
  }

  private static String require(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      fail(
          name
              + " is not set: these tests need the real test environment; run them with"
              + " scripts/test, or `scripts/testenv up && . .testenv/env` first");
    }
    return v;
  }

  /** A fresh repository name in the test registry. */
  String repository(String prefix) {
    return registry
        + "/it/"
        + prefix
        + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  /** What one CLI run printed, and its exit code. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError(
            "stdout is not one JSON document: " + e.getMessage() + "\n" + out + "\n" + err);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + tail(err);
    }

    private static String tail(String s) {
      String[] lines = s.split("\n");
      return String.join(
          "\n",
          java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }
  }

  /**
   * {@code build -f RELEASE --source APP --index-url INDEX --base <the test base> --to REPOSITORY
   * --insecure-registry} followed by {@code more}.
   */
  String[] build(Object release, Object app, String index, String repository, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "build",
                "-f",
                release.toString(),
                "--source",
                app.toString(),
                "--index-url",
                index,
                "--base",
                baseImage,
                "--to",
                repository,
                "--insecure-registry"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  Run cli(String... args) {
    return cli(env, args);
  }

  Run cli(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true)) {
      code = new Cli(environment, o, e).run(args);
    }
    return new Run(code, out.toString(), err.toString());
  }

  /** The tags of a repository; empty when the registry does not know the repository. */
  List<String> tags(String repository) throws Exception {
    String path = repository.substring(registry.length() + 1);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + registry + "/v2/" + path + "/tags/list"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return List.of();
    }
    JsonNode tags = new ObjectMapper().readTree(r.body()).path("tags");
    List<String> out = new ArrayList<>();
    tags.forEach(t -> out.add(t.asText()));
    return out;
  }

  /** The status of a GET, or -1 when nothing answers. */
  static int get(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A loopback port nobody listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs a program, returns stdout; fails the test on a nonzero exit. */
  String run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  /**
   * The venv step of a plain-files app's build on an existing dependency image: skipped, or, when
   * the release has build commands (which need the venv), app-only (the app's files and the
   * commands in the dependency image).
   */
  static String reusedVenvStep(Path release) throws Exception {
    var spec = dev.pyrelease.validate.ManifestReader.fromGeneratedCrd().read(release).release();
    return dev.pyrelease.release.ReleaseKeys.buildCommands(spec.getSpec()).isEmpty()
        ? "skipped"
        : "app-only";
  }

  /** Copies a directory tree. */
  static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
