package dev.pyrelease.buildjob;

import static dev.pyrelease.buildjob.StepOptions.DOCKER_CONFIG;
import static dev.pyrelease.buildjob.StepOptions.INSECURE_REGISTRY;
import static dev.pyrelease.buildjob.StepOptions.OUTPUT;
import static dev.pyrelease.buildjob.StepOptions.REGISTRY_CREDENTIALS_OVER_HTTP;
import static dev.pyrelease.buildjob.StepOptions.RESULT_FILE;
import static dev.pyrelease.buildjob.StepOptions.WORKSPACE;
import static dev.pyrelease.buildjob.StepOptions.add;

import java.util.ArrayList;
import java.util.List;

/**
 * What the build Job tells the assemble step ({@code pyrelease assemble}, the command {@code
 * AssembleCommand}): push the image the workspace's plan describes, and write the {@link
 * AssembleResult} (or the error) to {@code resultFile}. Paths are the pod's.
 *
 * @param insecureRegistry plain HTTP to the registries
 * @param credentialsOverHttp the push credentials may be sent over plain HTTP
 * @param dockerConfig the push credentials (config.json), or null
 * @param jsonOutput the full result as JSON on stdout (the step's log), else the text summary
 * @param resultFile where the termination result goes, or null
 */
public record AssembleArgs(
    String workspace,
    boolean insecureRegistry,
    boolean credentialsOverHttp,
    String dockerConfig,
    boolean jsonOutput,
    String resultFile) {

  /** The step's name: its subcommand and its container. */
  public static final String STEP = "assemble";

  /** The value of {@link StepOptions#OUTPUT} for {@code jsonOutput}. */
  public static final String JSON = "json";

  /** The container's arguments (the operator image's entrypoint is the CLI). */
  public List<String> toArgs() {
    List<String> a = new ArrayList<>(List.of(STEP));
    add(a, WORKSPACE, workspace);
    if (insecureRegistry) {
      a.add(INSECURE_REGISTRY);
    }
    if (credentialsOverHttp) {
      a.add(REGISTRY_CREDENTIALS_OVER_HTTP);
    }
    add(a, DOCKER_CONFIG, dockerConfig);
    if (jsonOutput) {
      a.add(OUTPUT);
      a.add(JSON);
    }
    add(a, RESULT_FILE, resultFile);
    return a;
  }
}
