package dev.pyrelease.engine;

import java.io.PrintWriter;

/**
 * Runs the venv script where the release's interpreter is: in the base image through a container
 * engine, or with the machine's own python3.
 */
public interface VenvRunner {
  /** How the user names it: {@code podman}, {@code docker} or {@code host}. */
  String name();

  /**
   * Runs the script; its output goes to {@code log} line by line.
   *
   * @throws BuildException INPUT when the script exits 1, ENVIRONMENT when it exits 2 or the runner
   *     itself fails (missing, unreachable, cannot pull the image)
   */
  void run(VenvInvocation invocation, PrintWriter log);

  /** Whether {@link VenvInvocation#appOnly()} can run in a dependency image. */
  boolean runsImages();
}
