package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CycloneDX SBOM of a real build of the Django example (real registry, index, podman): in the
 * image at /opt/venv/sbom.cdx.json and pushed beside it as {@code sha256-<hex>.sbom}; valid against
 * the CycloneDX schema (the library's validator); exactly the distributions the image's Python sees
 * installed, with their wheel hashes and the layers their files are in; the base by digest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SbomIntegrationTest {
  static final ObjectMapper JSON = new ObjectMapper();

  RealEnv real;
  Path dir;
  Path app;
  String repo;

  @BeforeAll
  void setUp() throws Exception {
    real = new RealEnv();
    dir = Files.createTempDirectory("pyrelease-sbom-it-");
    app = dir.resolve("app");
    RealEnv.copyTree(Path.of("examples/django/app"), app);
    repo = real.repository("sbom");
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

  @Test
  void theImagesSbomIsValidCycloneDxListingExactlyWhatIsInstalledAndIsPushedBesideIt()
      throws Exception {
    RealEnv.Run run =
        real.cli(
            real.build(
                "examples/django/release.yaml", app, real.indexUrl, repo, "--output", "json"));
    assertThat(run.exit()).as(run.toString()).isZero();
    // what naming the layers costs: each venv layer built and hashed once more before the push
    assertThat(run.err()).containsPattern("\\[assemble\\] SBOM of \\d+ distributions");
    run.err()
        .lines()
        .filter(l -> l.contains("[assemble] SBOM of"))
        .forEach(l -> System.out.println("[sbom-it] " + l.strip()));
    JsonNode result = run.json();
    String digest = result.path("digest").asText();
    JsonNode sbomRef = result.path("sbom");
    assertThat(sbomRef.path("path").asText()).isEqualTo("/opt/venv/sbom.cdx.json");
    assertThat(sbomRef.path("mediaType").asText()).isEqualTo("application/vnd.cyclonedx+json");
    String tag = digest.replace(':', '-') + ".sbom";
    assertThat(sbomRef.path("artifact").asText()).startsWith(repo + ":" + tag + "@sha256:");
    assertThat(real.tags(repo)).contains(tag);

    // the artifact: an OCI manifest whose subject is the image, its one layer the SBOM
    JsonNode artifact = JSON.readTree(get(repo, "/manifests/" + tag));
    assertThat(artifact.path("artifactType").asText()).isEqualTo("application/vnd.cyclonedx+json");
    assertThat(artifact.path("subject").path("digest").asText()).isEqualTo(digest);
    JsonNode layer = artifact.path("layers").get(0);
    assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.cyclonedx+json");
    byte[] pushed = get(repo, "/blobs/" + layer.path("digest").asText());

    // the same bytes are in the image at the documented path
    String image = result.path("image").asText();
    String inImage =
        real.run(List.of("podman", "run", "--rm", image, "cat", "/opt/venv/sbom.cdx.json"));
    // (podman's pull progress comes first: its stderr is in the output)
    assertThat(inImage).endsWith(new String(pushed, StandardCharsets.UTF_8));

    // valid CycloneDX 1.6, by the library's own validator
    assertThat(new JsonParser().validate(pushed, Version.VERSION_16)).isEmpty();

    // exactly the distributions the image's interpreter finds installed
    String installed =
        real.run(
            List.of(
                "podman",
                "run",
                "--rm",
                image,
                "/opt/venv/bin/python",
                "-c",
                "import importlib.metadata as m\n"
                    + "for d in m.distributions(): print(d.metadata['Name'] + '==' + d.version)"));
    Set<String> fromImage = new HashSet<>();
    for (String line : installed.strip().split("\n")) {
      if (line.strip().matches("[A-Za-z0-9._-]+==\\S+")) { // not podman's own lines
        fromImage.add(normalize(line.strip()));
      }
    }
    JsonNode bom = JSON.readTree(pushed);
    Set<String> fromSbom = new HashSet<>();
    Map<String, String> hashes = new TreeMap<>();
    JsonNode base = null;
    Set<String> imageLayers = new HashSet<>();
    JSON.readTree(get(repo, "/manifests/" + digest))
        .path("layers")
        .forEach(l -> imageLayers.add(l.path("digest").asText()));
    for (JsonNode c : bom.path("components")) {
      if (c.path("type").asText().equals("container")) {
        base = c;
        continue;
      }
      String nv = normalize(c.path("name").asText() + "==" + c.path("version").asText());
      fromSbom.add(nv);
      assertThat(c.path("purl").asText()).isEqualTo("pkg:pypi/" + nv.replace("==", "@"));
      hashes.put(nv, c.path("hashes").get(0).path("content").asText());
      List<String> layers = new java.util.ArrayList<>();
      c.path("properties")
          .forEach(
              p -> {
                if (p.path("name").asText().equals("pyrelease:layer")) {
                  layers.add(p.path("value").asText());
                }
              });
      assertThat(layers).as(nv).isNotEmpty();
      assertThat(imageLayers).as(nv).containsAll(layers);
    }
    assertThat(fromSbom).isEqualTo(fromImage);
    // with the wheel hashes the build reported
    for (JsonNode d : result.path("distributions")) {
      String nv = normalize(d.path("name").asText() + "==" + d.path("version").asText());
      assertThat(hashes.get(nv)).as(nv).isEqualTo(d.path("sha256").asText());
    }
    // the base image, by the digest the build ran on
    assertThat(base).isNotNull();
    String baseDigest =
        real.run(
                List.of(
                    "skopeo",
                    "inspect",
                    "--tls-verify=false",
                    "--format",
                    "{{.Digest}}",
                    "docker://" + real.baseImage))
            .strip();
    assertThat(base.path("hashes").get(0).path("content").asText())
        .isEqualTo(baseDigest.substring("sha256:".length()));

    // a build on the existing dependency image: the same image, the same SBOM beside it
    RealEnv.Run again =
        real.cli(
            real.build(
                "examples/django/release.yaml", app, real.indexUrl, repo, "--output", "json"));
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.json().path("digest").asText()).isEqualTo(digest);
    assertThat(again.json().path("sbom").path("artifact").asText())
        .isEqualTo(sbomRef.path("artifact").asText());
  }

  /** name==version with the name PEP 503-normalised. */
  static String normalize(String nv) {
    int eq = nv.indexOf("==");
    return nv.substring(0, eq).toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-")
        + nv.substring(eq);
  }

  byte[] get(String repository, String path) throws Exception {
    String name = repository.substring(real.registry.length() + 1);
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + real.registry + "/v2/" + name + path))
                    .header(
                        "Accept",
                        "application/vnd.oci.image.manifest.v1+json,"
                            + "application/vnd.docker.distribution.manifest.v2+json")
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }
}
