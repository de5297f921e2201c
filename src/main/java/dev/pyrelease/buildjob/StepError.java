package dev.pyrelease.buildjob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a failed step writes as its termination message ({@code --termination-log}, or assemble's
 * {@code --result-file}): its error as it printed it on stderr, {@code pyrelease STEP: why} after
 * any closure problems. The venv step's script writes the same shape itself ({@code venv: error:
 * why}), and a step that wrote nothing (a crash) has its log tail as its message, the kubelet's
 * FallbackToLogsOnError: the operator reads all three the same way, by their end ({@link
 * #excerpt}).
 *
 * @param step the step's name
 * @param closureProblems the closure check's problems, each a sentence (empty when it passed)
 * @param message why the step failed
 */
public record StepError(String step, List<String> closureProblems, String message) {
  /** Characters of an error kept in the message, its end: well under the kubelet's 4096 bytes. */
  static final int MESSAGE_CHARS = 3500;

  /** Characters of a step's message the operator puts in a condition, its end. */
  static final int EXCERPT_CHARS = 600;

  public StepError {
    closureProblems = List.copyOf(closureProblems);
  }

  /** The termination message: the closure problems, then {@code pyrelease STEP: message}. */
  public String toMessage() {
    StringBuilder b = new StringBuilder();
    closureProblems.forEach(p -> b.append("closure: ").append(p).append('\n'));
    b.append("pyrelease ").append(step).append(": ").append(message);
    return b.length() <= MESSAGE_CHARS
        ? b.toString()
        : "…" + b.substring(b.length() - MESSAGE_CHARS);
  }

  /**
   * Writes {@link #toMessage()} to {@code file} (none when null). A file that cannot be written is
   * left: the step's log has the error too.
   */
  public void write(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.writeString(file, toMessage());
    } catch (IOException | RuntimeException ignored) {
      // the log has it
    }
  }

  /**
   * At most {@value #EXCERPT_CHARS} characters of a failed step's termination message, its end: a
   * message taken from the step's log ends with the error, after the progress lines.
   */
  public static String excerpt(String message) {
    String one = message.strip();
    return one.length() <= EXCERPT_CHARS
        ? one
        : "…" + one.substring(one.length() - EXCERPT_CHARS).stripLeading();
  }
}
