package dev.pyrelease.buildjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the build pod: the assemble result, or the step that failed. */
class BuildPodReportTest {
  static final String DIGEST = "sha256:" + "d".repeat(64);

  static ContainerStatus done(String name, int exit, String reason, String message) {
    return PodStatuses.done(name, exit, reason, message);
  }

  static Pod pod(List<ContainerStatus> init, List<ContainerStatus> main) {
    return PodStatuses.pod(init, main);
  }

  @Test
  void imageFromTheTerminationMessage() {
    Pod p =
        pod(
            List.of(done("source", 0, "Completed", null)),
            List.of(
                done(
                    "assemble",
                    0,
                    "Completed",
                    "{\"image\":\"reg/web/shop@" + DIGEST + "\",\"digest\":\"" + DIGEST + "\"}")));
    assertThat(BuildPodReport.image(List.of(p), "reg/web/shop").image())
        .isEqualTo("reg/web/shop@" + DIGEST);
  }

  @Test
  void taggedImageIsTurnedIntoADigestReference() {
    Pod p =
        pod(
            List.of(),
            List.of(
                done(
                    "assemble",
                    0,
                    "Completed",
                    "{\"image\":\"reg:5000/web/shop:build-abc\",\"digest\":\"" + DIGEST + "\"}")));
    assertThat(BuildPodReport.image(List.of(p), "x").image())
        .isEqualTo("reg:5000/web/shop@" + DIGEST);
  }

  @Test
  void noResultWhenTheMessageIsNotJsonOrHasNoDigest() {
    Pod notJson = pod(List.of(), List.of(done("assemble", 0, "Completed", "pushed!")));
    Pod noDigest = pod(List.of(), List.of(done("assemble", 0, "Completed", "{\"image\":\"a\"}")));
    assertThat(BuildPodReport.image(List.of(notJson, noDigest), "x")).isNull();
  }

  @Test
  void firstFailedStepWithReasonAndMessage() {
    Pod p =
        pod(
            List.of(
                done("source", 0, "Completed", null),
                done("venv", 1, "Error", "ERROR: No matching distribution found for django==9")),
            List.of());
    var f = BuildPodReport.failure(List.of(p));
    assertThat(f.container()).isEqualTo("venv");
    assertThat(f.describe())
        .isEqualTo(
            "container venv failed (Error, exit 1): ERROR: No matching distribution found for django==9");
  }

  @Test
  void aMessageFromTheLogKeepsItsEndWhereTheErrorIs() {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      log.append("[jib   1.").append(i).append("s] Building deps-bucket-").append(i).append('\n');
    }
    log.append("pyrelease source: source: leak is a link to /etc/hostname, outside the source");
    Pod p = pod(List.of(done("source", 1, "Error", log.toString())), List.of());
    String d = BuildPodReport.failure(List.of(p)).describe();
    assertThat(d)
        .startsWith("container source failed (Error, exit 1): …")
        .endsWith("leak is a link to /etc/hostname, outside the source")
        .doesNotContain("deps-bucket-0\n");
    assertThat(d.length()).isLessThan(700);
  }

  @Test
  void layersAreCountedAndATruncatedResultStillNamesTheImage() {
    String layers =
        "[{\"name\":\"venv\",\"digest\":\"sha256:1\",\"sizeBytes\":100,\"uploaded\":true},"
            + "{\"name\":\"django\",\"digest\":\"sha256:2\",\"sizeBytes\":900,\"uploaded\":false},"
            + "{\"name\":\"app\",\"digest\":\"sha256:3\",\"sizeBytes\":7,\"uploaded\":true}]";
    String whole =
        "{\"image\":\"reg/web/shop@"
            + DIGEST
            + "\",\"digest\":\""
            + DIGEST
            + "\",\"tags\":[\"build-k\"],\"layers\":"
            + layers
            + ",\"distributions\":[{\"name\":\"django\",\"version\":\"5.2\",\"sha256\":\"ab\"}]}";
    var full =
        BuildPodReport.image(
            List.of(pod(List.of(), List.of(done("assemble", 0, "Completed", whole)))), "x");
    assertThat(full.layers()).isEqualTo(new BuildPodReport.Layers(2, 1, 107));

    // the kubelet keeps 4096 bytes of a termination message: cut inside the distributions
    String cut = whole.substring(0, whole.indexOf("\"version\""));
    var truncated =
        BuildPodReport.image(
            List.of(pod(List.of(), List.of(done("assemble", 0, "Completed", cut)))), "x");
    assertThat(truncated.image()).isEqualTo("reg/web/shop@" + DIGEST);
    assertThat(truncated.layers()).isEqualTo(new BuildPodReport.Layers(2, 1, 107));

    // cut inside the layers: the whole ones are counted
    String cutLayers = whole.substring(0, whole.indexOf("{\"name\":\"app\"") + 10);
    assertThat(
            BuildPodReport.image(
                    List.of(pod(List.of(), List.of(done("assemble", 0, "Completed", cutLayers)))),
                    "x")
                .layers())
        .isEqualTo(new BuildPodReport.Layers(1, 1, 100));
  }

  @Test
  void readsTheBoundedTerminationResultOfTheAssembleStep() {
    List<AssembleResult.Layer> layers = new java.util.ArrayList<>();
    for (int i = 0; i < 15; i++) {
      layers.add(new AssembleResult.Layer("l" + i, 1000 + i, i < 3));
    }
    String message =
        AssembleResult.of(
                "reg/web/shop@" + DIGEST,
                DIGEST,
                "k",
                "dk",
                "reg/web/shop:deps-dk",
                "skipped",
                layers,
                60,
                true)
            .toMessage();
    assertThat(message.length()).isLessThan(4096);
    Pod p = pod(List.of(), List.of(done("assemble", 0, "Completed", message)));
    BuildPodReport.Image image = BuildPodReport.image(List.of(p), "reg/web/shop");
    assertThat(image.image()).isEqualTo("reg/web/shop@" + DIGEST);
    assertThat(image.layers()).isEqualTo(new BuildPodReport.Layers(3, 12, 1000 + 1001 + 1002));
    // cut anywhere after the digest (a kubelet limit smaller than ours): still the image
    for (int cut = message.indexOf("\"buildKey\""); cut < message.length(); cut++) {
      BuildPodReport.Image partial =
          BuildPodReport.image(
              List.of(
                  pod(
                      List.of(),
                      List.of(done("assemble", 0, "Completed", message.substring(0, cut))))),
              "reg/web/shop");
      assertThat(partial.digest()).isEqualTo(DIGEST);
      assertThat(partial.layers() == null ? 0 : partial.layers().uploaded()).isLessThanOrEqualTo(3);
    }
  }
}
