package dev.pyrelease.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known answer (FIPS 180-2's "abc") by every way in, so tests may use Digests as an oracle. */
class DigestsTest {
  static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void everyInputGivesTheSameLowercaseHex(@TempDir Path tmp) throws Exception {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    Path file = Files.write(tmp.resolve("abc"), abc);
    assertThat(Digests.sha256(abc)).isEqualTo(ABC);
    assertThat(Digests.sha256("abc")).isEqualTo(ABC);
    assertThat(Digests.sha256(new ByteArrayInputStream(abc))).isEqualTo(ABC);
    assertThat(Digests.sha256(file)).isEqualTo(ABC);
    assertThat(Digests.hex(Digests.newSha256().digest(abc))).isEqualTo(ABC);
  }
}
