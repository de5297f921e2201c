package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.buildjob.AssembleArgs;
import dev.pyrelease.buildjob.AssembleResult;
import dev.pyrelease.buildjob.BuildPodReport;
import dev.pyrelease.buildjob.PodStatuses;
import dev.pyrelease.engine.BuildResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assemble step's termination result: the build's, bounded. */
class AssembleCommandTest {
  static BuildResult result(int distributions, int layers) {
    String key = "a".repeat(64);
    List<BuildResult.Distribution> ds = new ArrayList<>();
    for (int i = 0; i < distributions; i++) {
      ds.add(
          new BuildResult.Distribution(
              "some-distribution-name-" + i, "12.34." + i, String.format("%064x", i)));
    }
    List<BuildResult.Layer> ls = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      ls.add(
          new BuildResult.Layer(
              i == 0 ? "venv" : "dist-bucket-" + i,
              "sha256:" + String.format("%064x", i),
              123_456_789L + i,
              i % 2 == 0));
    }
    return new BuildResult(
        "127.0.0.1:5000/web/shop@sha256:" + "d".repeat(64),
        "sha256:" + "d".repeat(64),
        key,
        "b".repeat(64),
        "127.0.0.1:5000/web/shop:deps-" + "b".repeat(64),
        "full",
        null,
        "127.0.0.1:5000/python:3.11@sha256:" + "e".repeat(64),
        List.of("build-" + key),
        ls,
        ds,
        new BuildResult.Closure(true, List.of()),
        null);
  }

  @Test
  void sixtyDistributionsStayWellUnderTheTerminationMessageLimit() throws Exception {
    BuildResult r = result(60, 15);
    assertThat(r.toCompactJson().getBytes(StandardCharsets.UTF_8).length)
        .as("the full result would not fit")
        .isGreaterThan(AssembleResult.MESSAGE_LIMIT);
    String t = AssembleCommand.summary(r).toMessage();
    assertThat(t.getBytes(StandardCharsets.UTF_8).length).isLessThan(2048);

    JsonNode n = new ObjectMapper().readTree(t);
    assertThat(n.get("image").asText()).isEqualTo(r.image());
    assertThat(n.get("digest").asText()).isEqualTo(r.digest());
    assertThat(n.get("buildKey").asText()).isEqualTo(r.buildKey());
    assertThat(n.get("dependencyKey").asText()).isEqualTo(r.dependencyKey());
    assertThat(n.get("venvStep").asText()).isEqualTo("full");
    assertThat(n.get("layers")).hasSize(15);
    assertThat(n.get("layers").get(0).get("name").asText()).isEqualTo("venv");
    assertThat(n.get("layers").get(0).get("uploaded").asBoolean()).isTrue();
    assertThat(n.get("layers").get(1).get("sizeBytes").asLong()).isEqualTo(123_456_790L);
    assertThat(n.get("distributions").asInt()).isEqualTo(60);
    assertThat(n.has("closure")).isFalse();
    assertThat(t).startsWith("{\"image\":");
  }

  @Test
  void manyLayersAreCutAndCounted() {
    String t = AssembleCommand.summary(result(300, 200)).toMessage();
    assertThat(t.getBytes(StandardCharsets.UTF_8).length).isLessThan(AssembleResult.MESSAGE_LIMIT);
    assertThat(t).contains("\"moreLayers\":160");
  }

  @Test
  void writeTerminationWritesOneLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("termination-log");
    AssembleCommand.summary(result(60, 15)).write(f);
    String s = Files.readString(f);
    assertThat(s).endsWith("}\n").doesNotContain("distributions\":[");
  }

  @Test
  void theOperatorReadsTheImageAndLayersTheStepWrote(@TempDir Path dir) throws Exception {
    BuildResult r = result(60, 15);
    Path f = dir.resolve("termination-log");
    AssembleCommand.summary(r).write(f);
    String message = Files.readString(f);
    assertThat(AssembleResult.read(message)).isEqualTo(AssembleCommand.summary(r));
    BuildPodReport.Image image =
        BuildPodReport.image(List.of(PodStatuses.endedAt(AssembleArgs.STEP, 0, message)), "x");
    assertThat(image)
        .isEqualTo(
            new BuildPodReport.Image(
                r.image(), r.digest(), new BuildPodReport.Layers(8, 7, r.uploadedBytes())));
  }
}
