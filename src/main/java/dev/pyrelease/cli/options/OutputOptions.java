package dev.pyrelease.cli.options;

import dev.pyrelease.buildjob.StepOptions;
import picocli.CommandLine.Option;

/** How a result is printed: for people, or one JSON document. */
public final class OutputOptions {
  /** The values of {@code --output}, spelt as on the command line. */
  public enum Format {
    text,
    json
  }

  @Option(
      names = StepOptions.OUTPUT,
      paramLabel = "text|json",
      description = "text (default) or json: one JSON document on stdout.")
  private Format format = Format.text;

  public Format format() {
    return format;
  }

  public boolean json() {
    return format == Format.json;
  }
}
