package dev.pyrelease.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Starts a process, streams its merged output to a log, keeps the last lines for messages. */
final class ProcessRunner {
  /** The exit code and the last lines of output. */
  record Outcome(int exitCode, List<String> tail) {
    /** The script's own one-line error ("venv: error: ..."), else the last non-blank line. */
    String reason() {
      for (int i = tail.size() - 1; i >= 0; i--) {
        String l = tail.get(i);
        int at = l.indexOf("venv: error: ");
        if (at >= 0) {
          return l.substring(at + "venv: error: ".length()).trim();
        }
      }
      for (int i = tail.size() - 1; i >= 0; i--) {
        if (!tail.get(i).isBlank()) {
          return tail.get(i).trim();
        }
      }
      return "no output";
    }
  }

  private ProcessRunner() {}

  /**
   * @param env the complete environment of the process
   * @throws IOException when the program cannot be started (not installed)
   */
  static Outcome run(List<String> command, Map<String, String> env, PrintWriter log, String prefix)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (log != null) {
          log.println(prefix + line);
          log.flush();
        }
        tail.addLast(line);
        if (tail.size() > 60) {
          tail.removeFirst();
        }
      }
    }
    try {
      return new Outcome(p.waitFor(), List.copyOf(tail));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
  }

  /** The environment with PIP_* and the PYTHON* variables that change an interpreter removed. */
  static Map<String, String> hermetic(Map<String, String> env) {
    Map<String, String> clean = new java.util.TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (!k.startsWith("PIP_")
              && !k.startsWith("PYTHON")
              && !k.equals("VIRTUAL_ENV")
              && !k.equals("NETRC")) {
            clean.put(k, v);
          }
        });
    return clean;
  }

  /** Maps the venv script's exit code. */
  static void check(String runner, Outcome o) {
    switch (o.exitCode()) {
      case 0 -> {}
      case 1 -> throw BuildException.input("venv step: " + o.reason());
      case 2 -> throw BuildException.environment("venv step: " + o.reason());
      default ->
          throw BuildException.environment(
              "runner " + runner + " failed (exit " + o.exitCode() + "): " + o.reason());
    }
  }
}
