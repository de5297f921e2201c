package dev.pyrelease.buildjob;

import static dev.pyrelease.buildjob.StepOptions.FROM_PLAN;
import static dev.pyrelease.buildjob.StepOptions.TERMINATION_LOG;

import java.util.ArrayList;
import java.util.List;

/**
 * What the build Job tells a check in the run image when the venv step runs in a build image
 * ({@code spec.python.buildImage}): the base image's {@code python3} runs the venv.py the source
 * step wrote, with {@code --probe-interpreter} before the venv container (its interpreter, which
 * the venv step compares its own with before pip runs) or {@code --check-libraries} after it (the
 * venv's extension modules' shared libraries against the image that ships). The names of the images
 * come from the plan.
 *
 * @param step {@link #INTERPRETER} or {@link #LIBRARIES}: the container's name
 * @param script venv.py in the workspace
 * @param fromPlan the source step's plan.json
 * @param terminationLog where a failure's error goes, or null
 */
public record RunImageCheckArgs(
    String step, String script, String fromPlan, String terminationLog) {
  /** The container that probes the run image's interpreter (before the venv container). */
  public static final String INTERPRETER = "interpreter";

  /** The container that checks the venv's shared libraries in the run image (after it). */
  public static final String LIBRARIES = "libraries";

  public RunImageCheckArgs {
    if (!step.equals(INTERPRETER) && !step.equals(LIBRARIES)) {
      throw new IllegalArgumentException("no such check: " + step);
    }
  }

  /** The container's command: the run image's interpreter. */
  public List<String> command() {
    return List.of(VenvArgs.PYTHON);
  }

  /** The container's arguments: the script and its options. */
  public List<String> toArgs() {
    List<String> a = new ArrayList<>(List.of(script));
    a.add(FROM_PLAN);
    a.add(fromPlan);
    a.add(step.equals(INTERPRETER) ? "--probe-interpreter" : "--check-libraries");
    if (terminationLog != null) {
      a.add(TERMINATION_LOG);
      a.add(terminationLog);
    }
    return a;
  }
}
