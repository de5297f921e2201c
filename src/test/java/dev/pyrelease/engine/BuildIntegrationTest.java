package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Django example built for real: pip against the HTTP index in the base image with podman,
 * pushed to the loopback registry, run with podman and asked over HTTP. One repository for the
 * whole class: a cold build, the same build again, an app-only change and a one-pin bump.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildIntegrationTest {
  static final String PILLOW_12_3_0 =
      "sha256:23d27a3e0307ec2244cc51e7287b919aa68d097504ebe19df4e76a98a3eea5bd";

  RealEnv real;
  Path dir;
  Path app;
  String repo;
  JsonNode cold;
  JsonNode appChanged;

  @BeforeAll
  void setUp() throws Exception {
    real = new RealEnv();
    dir = Files.createTempDirectory("pyrelease-build-it-");
    app = dir.resolve("app");
    RealEnv.copyTree(Path.of("examples/django/app"), app);
    repo = real.repository("shop");
  }

  @AfterAll
  void tearDown() {
    if (dir != null) {
      Workspace.deleteTree(dir);
    }
    if (real != null) {
      real.close();
    }
  }

  RealEnv.Run build() {
    return real.cli(
        real.build("examples/django/release.yaml", app, real.indexUrl, repo, "--output", "json"));
  }

  /** skipped, or app-only when the example has build commands. */
  static String reusedVenvStep() throws Exception {
    return RealEnv.reusedVenvStep(Path.of("examples/django/release.yaml"));
  }

  static List<String> uploaded(JsonNode result) {
    List<String> names = new ArrayList<>();
    result
        .path("layers")
        .forEach(
            l -> {
              if (l.path("uploaded").asBoolean()) {
                names.add(l.path("name").asText());
              }
            });
    return names;
  }

  @Test
  @Order(1)
  void coldBuildPushesAnImageWhoseAppAnswersOverHttp() throws Exception {
    RealEnv.Run run = build();
    assertThat(run.exit()).as(run.toString()).isZero();
    cold = run.json();
    assertThat(cold.path("image").asText()).startsWith(repo + "@sha256:");
    assertThat(cold.path("digest").asText()).matches("sha256:[0-9a-f]{64}");
    assertThat(cold.path("image").asText()).endsWith(cold.path("digest").asText());
    assertThat(cold.path("buildKey").asText()).matches("[0-9a-f]{64}");
    assertThat(cold.path("venvStep").asText()).isEqualTo("full");
    assertThat(cold.path("closure").path("ok").asBoolean()).isTrue();
    assertThat(cold.path("closure").path("problems")).isEmpty();
    assertThat(uploaded(cold))
        .contains("venv-skeleton", "dist-django", "dist-pillow", "app")
        .hasSize(cold.path("layers").size());
    List<String> dists = new ArrayList<>();
    cold.path("distributions")
        .forEach(
            d -> {
              dists.add(d.path("name").asText().toLowerCase() + "==" + d.path("version").asText());
              assertThat(d.path("sha256").asText()).matches("[0-9a-f]{64}");
            });
    assertThat(dists).contains("django==5.2.17", "pillow==11.3.0", "gunicorn==26.2.0");
    // stages and Jib's progress on stderr
    assertThat(run.err()).contains("[build] 1/3 source", "[venv]", "[assemble]", "[jib ");
    // the release is tagged only with its immutable build tag; the dependency image with its key
    // (and its rebase lineage); the SBOM beside the release with the release's digest
    assertThat(real.tags(repo))
        .filteredOn(t -> !t.startsWith("rebase-"))
        .containsExactlyInAnyOrder(
            "build-" + cold.path("buildKey").asText(),
            cold.path("dependencyImage").asText().substring(repo.length() + 1),
            cold.path("digest").asText().replace(':', '-') + ".sbom");

    JsonNode page = serve(cold.path("image").asText());
    assertThat(page.path("django").asText()).isEqualTo("5.2.17");
    assertThat(page.path("pillow").asText()).isEqualTo("11.3.0");
    assertThat(page.path("python").asText()).startsWith("3.11.");
    assertThat(page.path("release").asText()).isEqualTo("shop 1");
  }

  @Test
  @Order(2)
  void theSameBuildAgainGivesTheSameDigestWithoutAVenvStep() throws Exception {
    RealEnv.Run run = build();
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode again = run.json();
    assertThat(again.path("digest").asText()).isEqualTo(cold.path("digest").asText());
    assertThat(again.path("buildKey").asText()).isEqualTo(cold.path("buildKey").asText());
    assertThat(again.path("venvStep").asText()).isEqualTo(reusedVenvStep());
    assertThat(uploaded(again)).isEmpty();
    assertThat(run.err()).doesNotContain("[venv] building").doesNotContain("pip wheel");
  }

  @Test
  @Order(3)
  void anAppOnlyChangeUploadsOnlyTheAppLayer() throws Exception {
    Path views = app.resolve("shop/views.py");
    Files.writeString(
        views,
        Files.readString(views, StandardCharsets.UTF_8).replace("\"shop 1\"", "\"shop 2\""),
        StandardCharsets.UTF_8);
    RealEnv.Run run = build();
    assertThat(run.exit()).as(run.toString()).isZero();
    appChanged = run.json();
    assertThat(appChanged.path("venvStep").asText()).isEqualTo(reusedVenvStep());
    assertThat(appChanged.path("digest").asText()).isNotEqualTo(cold.path("digest").asText());
    assertThat(appChanged.path("buildKey").asText()).isNotEqualTo(cold.path("buildKey").asText());
    assertThat(appChanged.path("dependencyKey").asText())
        .isEqualTo(cold.path("dependencyKey").asText());
    assertThat(uploaded(appChanged)).containsExactly("app");
    assertThat(serve(appChanged.path("image").asText()).path("release").asText())
        .isEqualTo("shop 2");
  }

  @Test
  @Order(4)
  void bumpingOnePinRunsTheVenvStepAndUploadsOnlyThatDistributionsLayers() throws Exception {
    Path req = app.resolve("requirements/prod.txt");
    String text = Files.readString(req, StandardCharsets.UTF_8);
    String bumped =
        text.replaceAll(
            "pillow==11\\.3\\.0 \\\\\\s*--hash=sha256:[0-9a-f]{64}",
            "pillow==12.3.0 \\\\\n    --hash=" + PILLOW_12_3_0);
    assertThat(bumped).contains("pillow==12.3.0").doesNotContain("pillow==11.3.0");
    Files.writeString(req, bumped, StandardCharsets.UTF_8);
    RealEnv.Run run = build();
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode pin = run.json();
    assertThat(pin.path("venvStep").asText()).isEqualTo("full");
    assertThat(pin.path("dependencyKey").asText())
        .isNotEqualTo(cold.path("dependencyKey").asText());
    // pillow's own layers (its files, and its vendored libraries: 12.3.0 bundles new versions of
    // all of them), the tiny installed-distributions record, and the app layer (the app
    // directory holds requirements/prod.txt, which changed); nothing else
    assertThat(uploaded(pin)).contains("dist-pillow", "libs-pillow");
    assertThat(uploaded(pin)).isSubsetOf("libs-pillow", "dist-pillow", "venv-manifest", "app");
    for (JsonNode l : pin.path("layers")) {
      if (l.path("uploaded").asBoolean() && !l.path("name").asText().endsWith("-pillow")) {
        assertThat(l.path("sizeBytes").asLong()).as(l.toString()).isLessThan(64 * 1024);
      }
    }
    long total = 0;
    long sent = 0;
    for (JsonNode l : pin.path("layers")) {
      total += l.path("sizeBytes").asLong();
      if (l.path("uploaded").asBoolean()) {
        sent += l.path("sizeBytes").asLong();
      }
    }
    assertThat(sent).isLessThan(total / 2);
    assertThat(serve(pin.path("image").asText()).path("pillow").asText()).isEqualTo("12.3.0");
  }

  /** Runs the image with podman (gunicorn on a free loopback port) and GETs "/". */
  JsonNode serve(String image) throws Exception {
    int port = RealEnv.closedPort();
    String id =
        real.run(
                List.of(
                    "podman",
                    "run",
                    "-d",
                    "--rm",
                    "--network",
                    "host",
                    "-e",
                    "SHOP_ALLOWED_HOSTS=*",
                    image,
                    "gunicorn",
                    "shop.wsgi",
                    "-b",
                    "127.0.0.1:" + port,
                    "--workers",
                    "1"))
            .trim();
    id = id.substring(id.lastIndexOf('\n') + 1).trim();
    try {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          return new ObjectMapper().readTree(r.body());
        } catch (ConnectException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "the app did not answer on port "
                    + port
                    + ":\n"
                    + real.run(List.of("podman", "logs", id)));
          }
          Thread.sleep(200);
        }
      }
    } finally {
      real.run(List.of("podman", "rm", "-f", id));
    }
  }
}
