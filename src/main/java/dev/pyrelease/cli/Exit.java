package dev.pyrelease.cli;

/** Process exit codes shared by all commands. */
final class Exit {
  static final int OK = 0;

  /** The input is wrong: every problem was printed. */
  static final int INPUT = 1;

  /** Usage error, or something outside (index, registry, runner) could not be reached. */
  static final int USAGE = 2;

  static final int ENVIRONMENT = 2;

  private Exit() {}
}
