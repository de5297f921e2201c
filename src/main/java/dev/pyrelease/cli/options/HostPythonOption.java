package dev.pyrelease.cli.options;

import picocli.CommandLine.Option;

/** {@code --host-python}: the interpreter of {@code --runner host} (build and venv). */
public final class HostPythonOption {
  @Option(
      names = "--host-python",
      paramLabel = "PATH",
      description =
          "The interpreter of --runner host (default: python3). It must be the base image's own:"
              + " the same file at the same path, which the build checks before the venv step.")
  private String path = "python3";

  public String path() {
    return path;
  }
}
