package dev.pyrelease.buildjob;

import static dev.pyrelease.buildjob.StepOptions.BASE;
import static dev.pyrelease.buildjob.StepOptions.COMMIT;
import static dev.pyrelease.buildjob.StepOptions.GIT_CREDENTIALS;
import static dev.pyrelease.buildjob.StepOptions.GIT_URL;
import static dev.pyrelease.buildjob.StepOptions.INSECURE_REGISTRY;
import static dev.pyrelease.buildjob.StepOptions.RELEASE_JSON;
import static dev.pyrelease.buildjob.StepOptions.SOURCE;
import static dev.pyrelease.buildjob.StepOptions.TERMINATION_LOG;
import static dev.pyrelease.buildjob.StepOptions.TO;
import static dev.pyrelease.buildjob.StepOptions.VENV_IN_BASE_IMAGE;
import static dev.pyrelease.buildjob.StepOptions.WORKSPACE;
import static dev.pyrelease.buildjob.StepOptions.add;

import java.util.ArrayList;
import java.util.List;

/**
 * What the build Job tells the source step ({@code pyrelease source}, the command {@code
 * SourceCommand}): check out this commit of this repository, validate the release, write the plan
 * into the workspace. Paths are the pod's.
 *
 * @param releaseJson the release (name, namespace, spec) as JSON
 * @param gitCredentials the mounted git Secret's directory, or null
 * @param base the base image, as the build key has it (opaque here)
 * @param to the release's repository
 * @param venvInBaseImage the venv container runs the base image whatever the step decides
 * @param terminationLog where a failure's error goes, or null
 * @param insecureRegistry plain HTTP to the registries
 */
public record SourceArgs(
    String releaseJson,
    String gitUrl,
    String commit,
    String gitCredentials,
    String source,
    String workspace,
    String base,
    String to,
    boolean venvInBaseImage,
    String terminationLog,
    boolean insecureRegistry) {

  /** The step's name: its subcommand and its container. */
  public static final String STEP = "source";

  /** The container's arguments (the operator image's entrypoint is the CLI). */
  public List<String> toArgs() {
    List<String> a = new ArrayList<>(List.of(STEP));
    add(a, RELEASE_JSON, releaseJson);
    add(a, GIT_URL, gitUrl);
    add(a, COMMIT, commit);
    add(a, GIT_CREDENTIALS, gitCredentials);
    add(a, SOURCE, source);
    add(a, WORKSPACE, workspace);
    add(a, BASE, base);
    add(a, TO, to);
    if (venvInBaseImage) {
      a.add(VENV_IN_BASE_IMAGE);
    }
    add(a, TERMINATION_LOG, terminationLog);
    if (insecureRegistry) {
      a.add(INSECURE_REGISTRY);
    }
    return a;
  }
}
