package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.image.ImageRef;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pyrelease build --watch --output json} as a real process (its own JVM, so that SIGTERM and
 * the exit code are real) on a copy of the Django example, against the real test environment: a
 * cold build, an app-only change, a broken manifest that is reported while watching goes on, the
 * fix, and SIGTERM.
 */
class WatchIntegrationTest {
  RealEnv real;
  Path dir;
  Path app;
  Path manifest;
  String repo;
  Process process;
  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final List<String> all = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    real = new RealEnv();
    dir = Files.createTempDirectory("pyrelease-watch-it-");
    app = dir.resolve("app");
    RealEnv.copyTree(Path.of("examples/django/app"), app);
    manifest = Files.copy(Path.of("examples/django/release.yaml"), dir.resolve("release.yaml"));
    repo = real.repository("watch");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Workspace.deleteTree(dir);
    real.close();
  }

  /** The next line on stdout; every line must be one whole JSON document. */
  JsonNode next(int seconds) throws Exception {
    String line = lines.poll(seconds, TimeUnit.SECONDS);
    assertThat(line).as("a JSON line within %d s; stderr:%n%s", seconds, stderrTail()).isNotNull();
    all.add(line);
    return new ObjectMapper().readTree(line);
  }

  String stderrTail() throws Exception {
    List<String> l = Files.readAllLines(dir.resolve("stderr.txt"));
    return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
  }

  static void edit(Path file, String from, String to) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
  }

  @Test
  void rebuildsOnEveryChangeReportsBadInputAndEndsCleanlyOnSigterm() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.pyrelease.Main"));
    command.addAll(
        List.of(real.build(manifest, app, real.indexUrl, repo, "--output", "json", "--watch")));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().putAll(real.env);
    process = pb.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();

    // 1. the build as without --watch: cold, so the venv step runs (with the example's build
    // command too). The waits are guards against a hang, not timings: the machine is shared
    JsonNode cold = next(150);
    assertThat(cold.path("image").asText()).startsWith(repo + "@sha256:");
    assertThat(cold.path("venvStep").asText()).isEqualTo("full");

    // 2. one line of the app changed: a new image, only the app layer pushed, no venv step
    edit(app.resolve("shop/views.py"), "\"shop 1\"", "\"shop 2\"");
    JsonNode changed = next(60);
    assertThat(changed.path("digest").asText()).isNotEqualTo(cold.path("digest").asText());
    assertThat(changed.path("venvStep").asText()).isEqualTo(RealEnv.reusedVenvStep(manifest));
    assertThat(BuildIntegrationTest.uploaded(changed)).containsExactly("app");
    assertThat(changed.path("closure").path("ok").asBoolean()).isTrue();

    // 3. a broken manifest: the error document, and the process keeps watching
    edit(manifest, "replicas: 2", "replicas: two");
    JsonNode error = next(60);
    assertThat(error.path("error").path("kind").asText()).isEqualTo("input");
    assertThat(error.path("problems").toString()).contains("spec.run.replicas");
    assertThat(error.has("digest")).isFalse();
    Thread.sleep(300);
    assertThat(process.isAlive()).as("still watching after a failed build").isTrue();

    // 4. fixed: built again; the same inputs as in 2 give the same image, nothing to upload
    edit(manifest, "replicas: two", "replicas: 2");
    JsonNode fixed = next(60);
    assertThat(fixed.path("digest").asText()).isEqualTo(changed.path("digest").asText());
    assertThat(fixed.path("venvStep").asText()).isEqualTo(RealEnv.reusedVenvStep(manifest));
    assertThat(BuildIntegrationTest.uploaded(fixed)).isEmpty();

    // 5. SIGTERM: exit 0, nothing more printed, the per-repository workspace released
    process.destroy();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("ended after SIGTERM").isTrue();
    assertThat(process.exitValue()).as(stderrTail()).isZero();
    reader.join(5000);
    assertThat(lines).as("no build after the last change").isEmpty();
    assertThat(all).hasSize(4);
    assertThat(stderrTail()).contains("[watch] stopped").doesNotContain("internal error");
    WorkspaceLock lock =
        WorkspaceLock.tryAcquire(
            real.cache.resolve("jib-ws"), ImageRef.parse(repo).repositoryName());
    assertThat(lock).as("the workspace lock is free again").isNotNull();
    lock.close();
  }
}
