package dev.pyrelease.buildjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assemble step's termination result: what it writes is what the operator reads. */
class AssembleResultTest {
  static final String DIGEST = "sha256:" + "d".repeat(64);

  static AssembleResult result(int layers) {
    List<AssembleResult.Layer> ls = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      ls.add(new AssembleResult.Layer(i == 0 ? "venv" : "dist-bucket-" + i, 1000L + i, i < 3));
    }
    return AssembleResult.of(
        "127.0.0.1:5000/web/shop@" + DIGEST,
        DIGEST,
        "a".repeat(64),
        "b".repeat(64),
        "127.0.0.1:5000/web/shop:deps-" + "b".repeat(64),
        "full",
        ls,
        60,
        true);
  }

  @Test
  void writtenAndReadBack(@TempDir Path dir) throws Exception {
    AssembleResult r = result(15);
    Path file = dir.resolve("termination-log");
    r.write(file);
    String message = Files.readString(file);
    assertThat(message).startsWith("{\"image\":").endsWith("}\n").hasLineCount(1);
    assertThat(AssembleResult.read(message)).isEqualTo(r);
    assertThat(r.moreLayers()).isNull();
  }

  @Test
  void aTarBuildWithoutKeysReadsBackToo() {
    AssembleResult r =
        AssembleResult.of("i@" + DIGEST, DIGEST, null, null, null, null, null, null, null);
    assertThat(r.toMessage())
        .isEqualTo(
            "{\"image\":\"i@"
                + DIGEST
                + "\",\"digest\":\""
                + DIGEST
                + "\",\"buildKey\":null,\"dependencyKey\":null,\"venvStep\":null,\"layers\":[]}");
    assertThat(AssembleResult.read(r.toMessage())).isEqualTo(r);
  }

  @Test
  void manyLayersAreCutAndCounted() {
    AssembleResult r = result(200);
    assertThat(r.layers()).hasSize(AssembleResult.MAX_LAYERS);
    assertThat(r.moreLayers()).isEqualTo(160);
    assertThat(r.toMessage().getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(AssembleResult.MESSAGE_LIMIT);
    assertThat(AssembleResult.read(r.toMessage())).isEqualTo(r);
  }

  @Test
  void aMessageCutShortGivesTheWholeFieldsBeforeTheCut() {
    String message = result(15).toMessage();
    for (int cut = 0; cut < message.length(); cut++) {
      AssembleResult partial = AssembleResult.read(message.substring(0, cut));
      if (cut == 0) {
        assertThat(partial).isNull();
        continue;
      }
      assertThat(partial).as("cut at %d", cut).isNotNull();
      if (partial.digest() != null) {
        assertThat(partial.digest()).isEqualTo(DIGEST);
      }
      if (partial.layers() != null) {
        List<AssembleResult.Layer> all = result(15).layers();
        assertThat(partial.layers()).isEqualTo(all.subList(0, partial.layers().size()));
      }
      if (partial.distributions() != null) {
        // never a number cut short: "6" of "60"
        assertThat(partial.distributions()).isEqualTo(60);
      }
    }
    String afterDigest = message.substring(0, message.indexOf("\"buildKey\""));
    assertThat(AssembleResult.read(afterDigest).image()).isEqualTo(result(15).image());
  }

  @Test
  void anOlderBuildersFullResultIsReadForWhatItShares() {
    String whole =
        "{\"image\":\"reg/web/shop@"
            + DIGEST
            + "\",\"digest\":\""
            + DIGEST
            + "\",\"tags\":[\"build-k\"],\"layers\":"
            + "[{\"name\":\"venv\",\"digest\":\"sha256:1\",\"sizeBytes\":100,\"uploaded\":true}],"
            + "\"distributions\":[{\"name\":\"django\",\"version\":\"5.2\",\"sha256\":\"ab\"}]}";
    AssembleResult r = AssembleResult.read(whole);
    assertThat(r.digest()).isEqualTo(DIGEST);
    assertThat(r.layers()).containsExactly(new AssembleResult.Layer("venv", 100, true));
    assertThat(r.distributions()).isNull();
  }

  @Test
  void notAResult() {
    assertThat(AssembleResult.read("pushed!")).isNull();
    assertThat(AssembleResult.read("")).isNull();
    assertThat(AssembleResult.read("[1]")).isNull();
    assertThat(AssembleResult.read("pyrelease assemble: registry unreachable")).isNull();
    assertThat(AssembleResult.read("{\"image\":\"a\"}").digest()).isNull();
  }
}
