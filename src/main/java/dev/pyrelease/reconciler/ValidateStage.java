package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.PinPolicy;
import dev.pyrelease.python.Problem;
import dev.pyrelease.release.ReleaseRequirements;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.validate.SpecValidator;
import java.util.List;

/**
 * Stage 1: the spec's semantic rules (the CEL rules mirrored in Java, URLs, paths, images) and,
 * once the requirements are read, the pin policy. Everything here is terminal.
 */
final class ValidateStage {
  /** The spec's problems as a terminal error, or null when it is valid. */
  Terminal spec(PythonRelease release) {
    String name =
        "pythonrelease/"
            + release.getMetadata().getNamespace()
            + "/"
            + release.getMetadata().getName();
    List<Problem> problems = SpecValidator.validate(release, name);
    return problems.isEmpty()
        ? null
        : new Terminal(ConditionTypes.SOURCE_RESOLVED, "InvalidSpec", Terminal.describe(problems));
  }

  /** Unpinned, URL, duplicate or unhashed requirements as a terminal error, or null. */
  Terminal requirements(PythonRelease release, ParsedRequirements parsed) {
    boolean requireHashes =
        Boolean.TRUE.equals(release.getSpec().getRequirements().getRequireHashes());
    List<Problem> problems =
        ReleaseRequirements.atSpecField(
            PinPolicy.check(parsed, requireHashes),
            release.getSpec(),
            "pythonrelease/"
                + release.getMetadata().getNamespace()
                + "/"
                + release.getMetadata().getName(),
            0);
    if (problems.isEmpty() && parsed.requirements().isEmpty()) {
      return null; // an app without dependencies is fine
    }
    return problems.isEmpty()
        ? null
        : new Terminal(ConditionTypes.BUILT, "InvalidRequirements", Terminal.describe(problems));
  }
}
