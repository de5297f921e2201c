package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JibProgressTest {
  @Test
  void printsJibLinesWithoutTerminalColoursAndDropsFileListings() {
    StringWriter out = new StringWriter();
    JibProgress progress = new JibProgress(new PrintWriter(out));
    progress.accept("\u001B[31;1m    Connect to 127.0.0.1:1 failed: Connection refused\u001B[0m");
    progress.accept("\t/opt/venv/lib/python3.11/site-packages/x.py");
    assertThat(out.toString())
        .matches("\\[jib +[0-9.]+s\\]     Connect to 127.0.0.1:1 failed: Connection refused\\n");
  }

  @Test
  void remembersBlobsTheRegistryAlreadyHad() {
    JibProgress progress = new JibProgress(new PrintWriter(new StringWriter()));
    String digest = "sha256:" + "ab".repeat(32);
    progress.accept(
        "Skipping push; BLOB already exists on target registry : digest: " + digest + ", size: 12");
    assertThat(progress.wasSkipped(digest)).isTrue();
    assertThat(progress.wasSkipped("sha256:" + "cd".repeat(32))).isFalse();
  }
}
