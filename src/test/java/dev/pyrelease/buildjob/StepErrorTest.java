package dev.pyrelease.buildjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed step's termination message, as written and as the operator shows it. */
class StepErrorTest {
  @Test
  void theErrorAsOnStderrAfterTheClosureProblems(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("termination-log");
    new StepError("assemble", List.of("celery needs kombu", "kombu needs amqp"), "closure failed")
        .write(file);
    assertThat(Files.readString(file))
        .isEqualTo(
            "closure: celery needs kombu\nclosure: kombu needs amqp\n"
                + "pyrelease assemble: closure failed");
  }

  @Test
  void aLongErrorKeepsItsEndUnderTheKubeletsLimit() {
    String m = new StepError("source", List.of(), "x".repeat(10_000) + " the end").toMessage();
    assertThat(m).startsWith("…").endsWith(" the end");
    assertThat(m.getBytes(StandardCharsets.UTF_8).length).isLessThan(AssembleResult.MESSAGE_LIMIT);
  }

  @Test
  void noFileNoWriteAndAnUnwritableFileIsLeft(@TempDir Path dir) {
    new StepError("source", List.of(), "why").write(null);
    new StepError("source", List.of(), "why").write(dir.resolve("missing/termination-log"));
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void theExcerptIsTheEnd() {
    assertThat(StepError.excerpt("  venv: error: no wheel\n")).isEqualTo("venv: error: no wheel");
    String e = StepError.excerpt("a".repeat(1000) + "\n  the error");
    assertThat(e).startsWith("…").endsWith("the error").hasSize(StepError.EXCERPT_CHARS + 1);
  }
}
