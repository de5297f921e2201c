package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.engine.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --watch} in this process, without registry or index: usage errors end it at once;
 * failed builds are reported one JSON line each and watching goes on; a deleted source ends it with
 * 2. (Real builds and SIGTERM: {@code dev.pyrelease.engine.WatchIntegrationTest}.)
 */
class BuildWatchCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  Cli cli() {
    return new Cli(
        Map.of("PYRELEASE_CACHE_DIR", ""), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  Path release(String requirement) throws Exception {
    return Files.writeString(
        dir.resolve("release.yaml"),
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: app}
        spec:
          source: {git: {url: https://git.internal/app.git, ref: main}}
          requirements:
            inline: |
              %s
          index: {url: "http://127.0.0.1:1/simple/"}
          python: {version: "3.11", baseImage: "127.0.0.1:1/python:3.11"}
          image: {repository: 127.0.0.1:1/app}
          run: {command: [python, app.py]}
        """
            .formatted(requirement),
        StandardCharsets.UTF_8);
  }

  @Test
  void watchWithoutSourceIsAUsageErrorAtOnce() throws Exception {
    int code = cli().run("build", "-f", release("django==5.2.17").toString(), "--watch");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--watch needs --source DIR");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aSourceThatIsNoDirectoryIsAUsageErrorAtOnce() throws Exception {
    int code =
        cli()
            .run(
                "build",
                "-f",
                release("django==5.2.17").toString(),
                "--source",
                dir.resolve("nope").toString(),
                "--watch");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("is not a directory");
  }

  @Test
  void failedBuildsAreReportedOneLineEachUntilTheSourceIsDeleted() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("app.py"), "print('hi')\n");
    Path manifest = release("django"); // unpinned: bad input
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                cli()
                    .run(
                        "build",
                        "-f",
                        manifest.toString(),
                        "--source",
                        src.toString(),
                        "--output",
                        "json",
                        "--watch"));
    try {
      JsonNode first = line(1);
      assertThat(first.path("error").path("kind").asText()).isEqualTo("input");
      assertThat(first.path("problems").toString()).contains("django");
      assertThat(run).isNotDone();

      // still bad, differently: the next build reports that
      release("flask>=3");
      JsonNode second = line(2);
      assertThat(second.path("problems").toString()).contains("flask");
      assertThat(run).isNotDone();

      // a source change builds again
      Files.writeString(src.resolve("app.py"), "print('hello')\n");
      line(3);
    } finally {
      // ends the session (also when an assertion failed): nothing left running in this JVM
      Workspace.deleteTree(src);
    }
    assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(err.toString()).contains(src.toAbsolutePath() + " is gone; stopped watching");
    assertThat(lines()).hasSize(3);
  }

  List<String> lines() {
    return Arrays.stream(out.toString().split("\n"))
        .filter(Predicate.not(String::isBlank))
        .toList();
  }

  /** Waits for the n-th line of stdout and parses it: every line is one JSON document. */
  JsonNode line(int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lines().size() < n) {
      assertThat(System.nanoTime()).as("line %d in 10 s; stderr:%n%s", n, err).isLessThan(deadline);
      Thread.sleep(20);
    }
    return new ObjectMapper().readTree(lines().get(n - 1));
  }
}
