package dev.pyrelease;

import dev.pyrelease.cli.Cli;
import dev.pyrelease.cli.QuickExit;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The only place that reads the process environment; wires the commands by hand. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LogSetup.setLevel(System.getenv("PYRELEASE_LOG_LEVEL"));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = new Cli(System.getenv(), out, err).run(args);
    out.flush();
    err.flush();
    QuickExit.prepare();
    System.exit(code);
  }
}
