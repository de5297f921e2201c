package dev.pyrelease.cli.options;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.image.ImageRef;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the image goes: a repository, or a docker-load archive. An exclusive {@code @ArgGroup}
 * rather than a mixin: picocli 4.7.6 lists a group's options twice when a mixin holds it.
 */
public final class TargetOptions {
  @Option(
      names = "--to",
      paramLabel = "REPOSITORY",
      description = "Push to this repository (default spec.image.repository).")
  private String to;

  @Option(
      names = "--tar",
      paramLabel = "FILE",
      description = "Write a docker-load archive instead of pushing (no dependency image).")
  private Path tar;

  /** The archive to write, or null. */
  public Path tar() {
    return tar;
  }

  /**
   * The output: {@code --to}, else spec.image.repository, pushed to or named in the {@code --tar}.
   *
   * @throws BuildException (bad input) when there is no repository or it is not one
   */
  public AssembleStep.Output output(PythonReleaseSpec spec) {
    return output(spec, to, tar);
  }

  /**
   * {@link #output(PythonReleaseSpec)} of options given otherwise: in the source step both may be
   * given, and then the archive names the repository {@code to} gives.
   */
  public static AssembleStep.Output output(PythonReleaseSpec spec, String to, Path tar) {
    String repo =
        to != null ? to : spec.getImage() == null ? null : spec.getImage().getRepository();
    if (repo == null) {
      throw BuildException.input(
          "no image repository: give --to REPOSITORY or set spec.image.repository");
    }
    if (repo.contains("@") || repo.substring(repo.lastIndexOf('/') + 1).contains(":")) {
      throw BuildException.input(
          "'"
              + repo
              + "' has a tag or digest: give the repository only; images are pushed by digest");
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(repo);
    } catch (IllegalArgumentException e) {
      throw BuildException.input("'" + repo + "' is not an image repository");
    }
    ref = ref.withTag(null);
    return tar != null
        ? new AssembleStep.Output.Tar(tar.toAbsolutePath(), ref)
        : new AssembleStep.Output.Registry(ref);
  }
}
