package dev.pyrelease.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What to build or check: the manifest, and where its source comes from (a checkout, else the
 * release's git ref, read with the credentials given). The descriptions are the build's; a command
 * that means something else by them says so in its resource bundle ({@code descriptionKey}).
 */
public final class ReleaseOptions {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "RELEASE.yaml",
      description = "The PythonRelease manifest.")
  private Path file;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      descriptionKey = "release.source",
      description =
          "A checkout of the release's repository (spec.source.path is inside it). Without it,"
              + " spec.source.git.ref of spec.source.git.url is resolved to a commit and checked"
              + " out, as the build Job does (the build key and the revision label are the"
              + " commit's).")
  private Path source;

  @Option(
      names = "--git-credentials",
      paramLabel = "DIR",
      descriptionKey = "release.git-credentials",
      description =
          "Without --source: a directory with the git credentials as files, as the git Secret"
              + " is mounted in the build Job: username and password (or a token as password"
              + " alone) for https, or ssh-privatekey and known_hosts for ssh:// and"
              + " git@host:path URLs (the host key is always checked against known_hosts).")
  private Path gitCredentials;

  public Path file() {
    return file;
  }

  /** The checkout, or null: then the release's ref is read. */
  public Path source() {
    return source;
  }

  /**
   * {@code username}/{@code password} or {@code ssh-privatekey}/{@code known_hosts} files, or null.
   */
  public Path gitCredentials() {
    return gitCredentials;
  }
}
