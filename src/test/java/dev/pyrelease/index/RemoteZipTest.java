package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The range-read zip logic against in-memory archives (no HTTP). */
class RemoteZipTest {
  static final String MD = "Metadata-Version: 2.1\nName: z\nVersion: 1.0\n";

  static byte[] zip(int fillerEntries, boolean storedMetadata, byte[] prefix) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(prefix);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < fillerEntries; i++) {
        zip.putNextEntry(new ZipEntry("z/f" + i));
        zip.closeEntry();
      }
      byte[] md = MD.getBytes(StandardCharsets.UTF_8);
      ZipEntry e = new ZipEntry("z-1.0.dist-info/METADATA");
      if (storedMetadata) {
        e.setMethod(ZipEntry.STORED);
        e.setSize(md.length);
        CRC32 crc = new CRC32();
        crc.update(md);
        e.setCrc(crc.getValue());
      }
      zip.putNextEntry(e);
      zip.write(md);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  /** Reads like a server honouring Range would, from the last {@code tail} bytes on. */
  static String read(byte[] file, int tail, int[] fetches) throws Exception {
    int start = Math.max(0, file.length - tail);
    byte[] t = Arrays.copyOfRange(file, start, file.length);
    byte[] out =
        RemoteZip.readEntry(
            t,
            start,
            file.length,
            (s, e) -> Arrays.copyOfRange(file, (int) s, (int) e),
            names -> Archives.pickWheelMetadata(names, "z-1.0-py3-none-any.whl"),
            fetches);
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void smallZipFromTheTailAlone() throws Exception {
    int[] fetches = {0};
    assertThat(read(zip(3, false, new byte[0]), 65536, fetches)).isEqualTo(MD);
    assertThat(fetches[0]).isZero();
  }

  @Test
  void centralDirectoryLargerThanTheTail() throws Exception {
    int[] fetches = {0};
    assertThat(read(zip(2000, false, new byte[0]), 4096, fetches)).isEqualTo(MD);
    // the rest of the central directory, then the METADATA entry (it lies just before the
    // directory)
    assertThat(fetches[0]).isEqualTo(2);
  }

  @Test
  void storedEntryAndPrependedData() throws Exception {
    int[] fetches = {0};
    byte[] prefix = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8);
    assertThat(read(zip(5, true, prefix), 65536, fetches)).isEqualTo(MD);
  }

  @Test
  void zip64() throws Exception {
    byte[] file = zip(70_000, false, new byte[0]); // > 65535 entries: Java writes zip64 records
    int[] fetches = {0};
    assertThat(read(file, 65536, fetches)).isEqualTo(MD);
  }

  @Test
  void noMetadataAndCorruption() throws Exception {
    byte[] file = zip(3, false, new byte[0]);
    int start = 0;
    byte[] none =
        RemoteZip.readEntry(
            file, start, file.length, (s, e) -> new byte[0], names -> null, new int[1]);
    assertThat(none).isNull();
    assertThatThrownBy(() -> read(Arrays.copyOf(file, file.length - 30), 65536, new int[1]))
        .isInstanceOf(IOException.class);
    byte[] broken = file.clone();
    int at = indexOf(broken, MD.getBytes(StandardCharsets.UTF_8));
    if (at >= 0) { // stored? flip a byte of the data; deflated data is corrupted the same way
      broken[at] ^= 1;
    } else {
      int lh = indexOf(broken, "z-1.0.dist-info/METADATA".getBytes(StandardCharsets.UTF_8));
      broken[lh + 26] ^= 0x55;
    }
    assertThatThrownBy(() -> read(broken, 65536, new int[1])).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read(new byte[100], 65536, new int[1]))
        .hasMessageContaining("end-of-central-directory");
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void picksTheMatchingDistInfoAmongSeveral() {
    assertThat(
            Archives.pickWheelMetadata(
                List.of(
                    "a/x.py",
                    "Foo_Bar-1.0.dist-info/METADATA",
                    "other-2.0.dist-info/METADATA",
                    "foo_bar/vendor/x-1.dist-info/METADATA"),
                "foo_bar-1.0-py3-none-any.whl"))
        .isEqualTo("Foo_Bar-1.0.dist-info/METADATA");
    assertThat(
            Archives.pickWheelMetadata(
                List.of("a-1.dist-info/METADATA", "b-1.dist-info/METADATA"),
                "c-1-py3-none-any.whl"))
        .isNull();
    assertThat(Archives.pickSdistPkgInfo(List.of("x-1/src/PKG-INFO", "./x-1/PKG-INFO")))
        .isEqualTo("./x-1/PKG-INFO");
  }
}
