package dev.pyrelease.cli.options;

import dev.pyrelease.buildjob.StepOptions;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.image.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach the registries: plain HTTP allowed or not, and whose credentials. The names are the
 * build Job's ({@link StepOptions}): the step commands take them from here too.
 */
public final class RegistryOptions {
  @Option(
      names = StepOptions.INSECURE_REGISTRY,
      descriptionKey = "registry.insecure",
      description = "Allow plain HTTP and unverified TLS to registries.")
  private boolean insecure;

  @Option(
      names = StepOptions.REGISTRY_CREDENTIALS_OVER_HTTP,
      description =
          "Send registry credentials to a registry that answers over plain HTTP (a trusted"
              + " loopback registry only; with --insecure-registry).")
  private boolean credentialsOverHttp;

  @Option(
      names = StepOptions.DOCKER_CONFIG,
      paramLabel = "FILE",
      description = "Registry credentials: a docker config.json (auths).")
  private Path dockerConfig;

  public boolean insecure() {
    return insecure;
  }

  public boolean credentialsOverHttp() {
    return credentialsOverHttp;
  }

  /** The docker config.json, or null. */
  public Path dockerConfig() {
    return dockerConfig;
  }

  /**
   * The credentials of {@code --docker-config}, or none.
   *
   * @throws BuildException (bad input) when the file does not exist
   */
  public RegistryCredentials credentials() {
    return credentials(dockerConfig);
  }

  /** {@link #credentials()} of a docker config.json given otherwise. */
  public static RegistryCredentials credentials(Path dockerConfig) {
    if (dockerConfig == null) {
      return RegistryCredentials.none();
    }
    if (!Files.isRegularFile(dockerConfig)) {
      throw BuildException.input("--docker-config " + dockerConfig + ": no such file");
    }
    return RegistryCredentials.fromDockerConfig(dockerConfig);
  }
}
