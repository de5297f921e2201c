package dev.pyrelease.cli.options;

import dev.pyrelease.buildjob.StepOptions;
import picocli.CommandLine.Option;

/** What the image is built from, instead of what the release says: the base image and the index. */
public final class InputOptions {
  @Option(
      names = StepOptions.BASE,
      paramLabel = "IMAGE",
      description =
          "Base image (python3 with pip): a registry reference, or a docker-save .tar (default"
              + " spec.python.baseImage).")
  private String base;

  @Option(
      names = "--index-url",
      paramLabel = "URL",
      description = "Use this PEP 503 simple index instead of spec.index.")
  private String indexUrl;

  /** The base image, or null for spec.python.baseImage. */
  public String base() {
    return base;
  }

  /** The index, or null for spec.index. */
  public String indexUrl() {
    return indexUrl;
  }
}
