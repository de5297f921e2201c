package dev.pyrelease.buildjob;

import java.util.List;

/**
 * The option names of the build steps, each spelled once: the Job builder writes them ({@link
 * SourceArgs}, {@link VenvArgs}, {@link AssembleArgs}) and the step commands declare them (picocli
 * annotations take these constants; venv.py's argparse declares its own, which {@code
 * VenvArgsScriptTest} checks against the shipped script).
 */
public final class StepOptions {
  private StepOptions() {}

  // shared by several steps

  /** The shared workspace (source, assemble, and the local venv command). */
  public static final String WORKSPACE = "--workspace";

  /** Where a failed step writes its error: the kubelet's termination message (source, venv.py). */
  public static final String TERMINATION_LOG = "--termination-log";

  /** Plain HTTP to the registry: the base and the release's repository on loopback. */
  public static final String INSECURE_REGISTRY = "--insecure-registry";

  /**
   * Send registry credentials over plain HTTP (assemble; with {@link #INSECURE_REGISTRY}): Jib
   * refuses to otherwise.
   */
  public static final String REGISTRY_CREDENTIALS_OVER_HTTP = "--registry-credentials-over-http";

  /** A docker config.json with the push credentials (assemble; source and venv locally). */
  public static final String DOCKER_CONFIG = "--docker-config";

  // source

  public static final String RELEASE_JSON = "--release-json";
  public static final String GIT_URL = "--git-url";
  public static final String COMMIT = "--commit";
  public static final String GIT_CREDENTIALS = "--git-credentials";
  public static final String SOURCE = "--source";
  public static final String BASE = "--base";
  public static final String TO = "--to";
  public static final String VENV_IN_BASE_IMAGE = "--venv-in-base-image";

  // venv.py

  public static final String FROM_PLAN = "--from-plan";
  public static final String NETRC = "--netrc";

  /** Only the build commands (the commands container), on the app the venv step exported. */
  public static final String COMMANDS_ONLY = "--commands-only";

  // assemble

  public static final String OUTPUT = "--output";
  public static final String RESULT_FILE = "--result-file";

  // for running the source and assemble steps by hand

  /** Write a docker-load archive instead of pushing. */
  public static final String TAR = "--tar";

  /** Adds {@code option value}, or nothing when the value is null. */
  static void add(List<String> args, String option, String value) {
    if (value != null) {
      args.add(option);
      args.add(value);
    }
  }
}
