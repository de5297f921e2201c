package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** venv.py's failure report: stderr and, with --termination-log, that file (the build Job's). */
class VenvScriptFailureTest {
  @TempDir Path tmp;

  @Test
  void aFailureIsWrittenToTheTerminationLogToo() throws Exception {
    Path log = tmp.resolve("termination-log");
    Path req = tmp.resolve("requirements.txt");
    Files.writeString(req, "django==5.2.17\n--extra-index-url http://127.0.0.1:1/simple/\n");
    Process p =
        new ProcessBuilder(
                List.of(
                    "python3",
                    "-I",
                    "src/main/resources/dev/pyrelease/engine/venv.py",
                    "--requirements",
                    req.toString(),
                    "--index-url",
                    "http://127.0.0.1:9/simple/",
                    "--venv",
                    tmp.resolve("venv").toString(),
                    "--out",
                    tmp.resolve("out").toString(),
                    "--termination-log",
                    log.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    String message = Files.readString(log);
    assertThat(message)
        .startsWith("venv: error: ")
        .contains("requirements.txt:2: option not allowed")
        .doesNotContain("\n");
    assertThat(out).contains(message);
  }
}
