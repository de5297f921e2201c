package dev.pyrelease.buildjob;

import static dev.pyrelease.buildjob.StepOptions.COMMANDS_ONLY;
import static dev.pyrelease.buildjob.StepOptions.FROM_PLAN;
import static dev.pyrelease.buildjob.StepOptions.TERMINATION_LOG;
import static dev.pyrelease.buildjob.StepOptions.add;

import java.util.ArrayList;
import java.util.List;

/**
 * What the build Job tells the build commands' container, there only when the release has {@code
 * spec.build.commands}: the base image's {@code python3} runs the venv.py the source step wrote
 * with {@code --commands-only}, which takes the commands from the plan (the source step wrote them
 * there from the release, whose key they are part of) and runs them in {@code /app} on the app the
 * venv step exported, with the venv read-only. Parsed by venv.py's argparse, as {@link VenvArgs}.
 *
 * @param script venv.py in the workspace
 * @param fromPlan the source step's plan.json
 * @param terminationLog where a failure's error goes (a failed command's last output lines, then
 *     the command), or null
 */
public record CommandsArgs(String script, String fromPlan, String terminationLog) {
  /** The step's name: its container. */
  public static final String STEP = "commands";

  /** The container's command: the interpreter (the base image's entrypoint is not ours). */
  public List<String> command() {
    return List.of(VenvArgs.PYTHON);
  }

  /** The container's arguments: the script and its options. */
  public List<String> toArgs() {
    List<String> a = new ArrayList<>(List.of(script));
    add(a, FROM_PLAN, fromPlan);
    a.add(COMMANDS_ONLY);
    add(a, TERMINATION_LOG, terminationLog);
    return a;
  }
}
