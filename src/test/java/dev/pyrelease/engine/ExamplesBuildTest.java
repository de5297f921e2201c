package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pyrelease.validate.ManifestReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example app besides Django (which BuildIntegrationTest covers in depth) is built with
 * {@code pyrelease build} for real and its image runs the release's own {@code run.command} — only
 * the listen address moved to a free loopback port — and answers {@code /healthz}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesBuildTest {
  RealEnv real;

  @BeforeAll
  void setUp() throws Exception {
    real = new RealEnv();
  }

  @AfterAll
  void tearDown() {
    if (real != null) {
      real.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"flask", "fastapi"})
  void exampleBuildsAndItsImageServesTheReleaseCommand(String example) throws Exception {
    Path manifest = Path.of("examples", example, "release.yaml");
    RealEnv.Run run =
        real.cli(
            real.build(
                manifest,
                "examples/" + example + "/app",
                real.indexUrl,
                real.repository(example),
                "--output",
                "json"));
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode result = run.json();
    assertThat(result.path("closure").path("ok").asBoolean()).isTrue();
    assertThat(result.path("venvStep").asText()).isEqualTo("full");

    List<String> command =
        ManifestReader.fromGeneratedCrd().read(manifest).release().getSpec().getRun().getCommand();
    int port = RealEnv.closedPort();
    List<String> podman =
        new ArrayList<>(
            List.of("podman", "run", "-d", "--rm", "-q", "--network", "host", "--read-only"));
    podman.add(result.path("image").asText());
    for (String arg : command) {
      podman.add(
          arg.replace("0.0.0.0:8000", "127.0.0.1:" + port)
              .replace("0.0.0.0", "127.0.0.1")
              .replace("8000", Integer.toString(port)));
    }
    String out = real.run(podman).trim();
    String id = out.substring(out.lastIndexOf('\n') + 1).trim();
    try {
      assertThat(get(port, "/healthz")).isEqualTo(200);
    } finally {
      real.run(List.of("podman", "rm", "-f", "-t", "2", id));
    }
  }

  private int get(int port, String path) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (ConnectException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the example did not answer on 127.0.0.1:" + port, e);
        }
        Thread.sleep(200);
      }
    }
  }
}
