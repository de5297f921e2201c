package dev.pyrelease.buildjob;

import static dev.pyrelease.buildjob.StepOptions.FROM_PLAN;
import static dev.pyrelease.buildjob.StepOptions.NETRC;
import static dev.pyrelease.buildjob.StepOptions.TERMINATION_LOG;
import static dev.pyrelease.buildjob.StepOptions.add;

import java.util.ArrayList;
import java.util.List;

/**
 * What the build Job tells the venv step: the base image's {@code python3} runs the venv.py the
 * source step wrote, which reads everything else from the plan (and venv-mode beside it). venv.py
 * parses these with its own argparse, which cannot change without changing every build key: {@code
 * VenvArgsScriptTest} runs the shipped script's parser on {@link #toArgs()}.
 *
 * @param script venv.py in the workspace
 * @param fromPlan the source step's plan.json
 * @param terminationLog where a failure's error goes, or null
 * @param netrc the index credentials (a mounted netrc file), or null
 */
public record VenvArgs(String script, String fromPlan, String terminationLog, String netrc) {
  /** The step's name: its container. */
  public static final String STEP = "venv";

  /** The interpreter on the base image's PATH. */
  public static final String PYTHON = "python3";

  /** The container's command: the interpreter (the base image's entrypoint is not ours). */
  public List<String> command() {
    return List.of(PYTHON);
  }

  /** The container's arguments: the script and its options. */
  public List<String> toArgs() {
    List<String> a = new ArrayList<>(List.of(script));
    add(a, FROM_PLAN, fromPlan);
    add(a, TERMINATION_LOG, terminationLog);
    add(a, NETRC, netrc);
    return a;
  }
}
