package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The release policy for requirements: every requirement is pinned to one exact version, comes from
 * the index (no URLs, paths, VCS or editables), appears once, and carries well-formed sha256 hashes
 * — all of them when hashes are required. pip options that would change where packages come from or
 * how they are built (all but {@code --require-hashes}) are refused. Constraints are only
 * syntax-checked.
 */
public final class PinPolicy {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Set<String> STRONG = Set.of("sha256", "sha384", "sha512");

  private PinPolicy() {}

  /**
   * Returns every problem: those found while reading plus policy violations, sorted by file, then
   * line (problems on one line keep their order). Empty means the requirements are acceptable.
   *
   * @param requireHashes {@code spec.requirements.requireHashes}; {@code --require-hashes} in a
   *     file turns hash checking on as well
   */
  public static List<Problem> check(ParsedRequirements parsed, boolean requireHashes) {
    List<Problem> problems = new ArrayList<>(parsed.problems());
    String fileSwitch = parsed.requireHashesLocation();
    boolean hashesRequired = requireHashes || fileSwitch != null;
    String why =
        requireHashes
            ? "spec.requirements.requireHashes is true"
            : "--require-hashes is set at " + fileSwitch;
    Map<String, RequirementLine> seen = new HashMap<>();
    for (RequirementLine rl : parsed.requirements()) {
      pin(rl, problems);
      RequirementLine first = seen.putIfAbsent(key(rl), rl);
      if (first != null) {
        problems.add(
            problem(
                rl,
                Problem.quote(rl.requirementText())
                    + " duplicates "
                    + first.location()
                    + " ("
                    + Problem.quote(first.requirementText())
                    + ")",
                "list each package once (names are compared after PEP 503 normalisation: "
                    + key(rl)
                    + ")"));
      }
      hashes(rl, problems);
      if (hashesRequired && rl.hashes().isEmpty()) {
        problems.add(
            problem(
                rl,
                Problem.quote(rl.requirementText()) + " has no --hash",
                "hashes are required ("
                    + why
                    + "): add --hash=sha256:<digest> for each of its files, e.g. with"
                    + " pip-compile --generate-hashes"));
      }
    }
    for (RequirementLine rl : parsed.constraints()) {
      hashes(rl, problems);
    }
    for (RequirementLine rl : parsed.requirements()) {
      for (String option : rl.options()) {
        problems.add(
            problem(
                rl,
                Problem.quote(option) + " changes how " + key(rl) + " is built",
                "remove it: a release installs what the index has for each pin; publish a wheel"
                    + " built the way you need to the index"));
      }
    }
    for (String located : parsed.globalOptions()) {
      fileOption(located, problems);
    }
    problems.sort(Problem.BY_LOCATION);
    return List.copyOf(problems);
  }

  /**
   * A file-level option ({@code file:line: option}): {@code --require-hashes} is honoured; every
   * other one would change where packages come from or which files pip picks, which the release's
   * {@code spec.index} and its pins decide, so it is refused rather than silently ignored.
   */
  private static void fileOption(String located, List<Problem> problems) {
    int sep = located.indexOf(": ");
    String location = located.substring(0, sep);
    String option = located.substring(sep + 2);
    String name = option.split("[ =]", 2)[0];
    if (name.equals("--require-hashes")) {
      return;
    }
    int colon = location.lastIndexOf(':');
    String file = location.substring(0, colon);
    int line = Integer.parseInt(location.substring(colon + 1));
    String fix =
        switch (name) {
          case "--index-url",
                  "-i",
                  "--extra-index-url",
                  "--find-links",
                  "-f",
                  "--trusted-host",
                  "--no-index" ->
              "remove it: a release's packages come only from spec.index (set spec.index.url or"
                  + " spec.index.findLinks there)";
          case "--pre" ->
              "remove it: a pin with == installs the version it names, pre-release or not";
          case "--no-binary", "--only-binary", "--prefer-binary" ->
              "remove it: the build takes what the index has for each pin (the wheel for the"
                  + " target Python, else the sdist); publish the files you want to the index";
          default -> "remove it: the build's pip options are not part of a release";
        };
    problems.add(
        new Problem(
            file,
            line,
            option,
            Problem.quote(option) + " is not allowed in a release's requirements",
            fix));
  }

  private static String key(RequirementLine rl) {
    return PackageName.normalize(rl.requirement().name());
  }

  private static Problem problem(RequirementLine rl, String what, String fix) {
    return new Problem(rl.file(), rl.line(), rl.text(), what, fix);
  }

  private static void pin(RequirementLine rl, List<Problem> problems) {
    Requirement r = rl.requirement();
    String name = r.name();
    String shown = Problem.quote(rl.requirementText());
    if (r.url() != null) {
      problems.add(
          problem(
              rl,
              shown + " is a direct URL reference, not a pinned release",
              "publish the package to the index and pin it by version, e.g. "
                  + name
                  + "==<version>"));
      return;
    }
    List<Specifier> clauses = r.specifier() == null ? List.of() : r.specifier().specifiers();
    String example = name + "==" + exampleVersion(clauses);
    if (clauses.isEmpty()) {
      problems.add(
          problem(
              rl,
              shown + " is not pinned",
              "pin the exact version you tested with ==, e.g. "
                  + example
                  + " (pip freeze shows it)"));
      return;
    }
    if (clauses.size() > 1) {
      problems.add(
          problem(
              rl,
              shown + " is not pinned: it has " + clauses.size() + " version clauses",
              "keep one == clause with the exact version, e.g. " + example));
      return;
    }
    Specifier s = clauses.get(0);
    String op = s.operator();
    if (op.equals("==") && s.version().endsWith(".*")) {
      problems.add(
          problem(
              rl,
              shown + " is not pinned: " + s.version() + " matches many versions",
              "pin one exact version with ==, e.g. " + example));
    } else if (!op.equals("==") && !op.equals("===")) {
      problems.add(
          problem(
              rl,
              shown + " is not pinned: " + op + " allows a range of versions",
              "pin one exact version with ==, e.g. " + example));
    }
  }

  /** A version from the clauses that satisfies them (a lower bound), else a placeholder. */
  private static String exampleVersion(List<Specifier> clauses) {
    for (Specifier s : clauses) {
      String op = s.operator();
      if ((op.equals(">=") || op.equals("~=") || op.equals("==") || op.equals("==="))
          && !s.version().endsWith(".*")) {
        return s.version();
      }
    }
    return "<version>";
  }

  private static void hashes(RequirementLine rl, List<Problem> problems) {
    for (String h : rl.hashes()) {
      String shown = Problem.quote("--hash=" + h);
      int colon = h.indexOf(':');
      String algorithm = colon < 0 ? "" : h.substring(0, colon);
      String lower = algorithm.toLowerCase(Locale.ROOT);
      String digest = colon < 0 ? "" : h.substring(colon + 1);
      if (colon <= 0) {
        problems.add(
            problem(
                rl,
                shown + " is not algorithm:digest",
                "write --hash=sha256:<64 hex digits>, as pip hash FILE or pip-compile"
                    + " --generate-hashes prints it"));
      } else if (!algorithm.equals(lower) && STRONG.contains(lower)) {
        problems.add(
            problem(
                rl,
                shown + " names the algorithm in upper case",
                "write --hash="
                    + lower
                    + ":<digest>: pip only accepts lower-case algorithm names"));
      } else if (algorithm.equals("sha384") || algorithm.equals("sha512")) {
        problems.add(
            problem(
                rl,
                shown + " uses " + algorithm,
                "use a sha256 hash: pip would accept "
                    + algorithm
                    + ", but the build verifies and records files by sha256 (pip hash FILE"
                    + " prints it)"));
      } else if (!algorithm.equals("sha256")) {
        problems.add(
            problem(
                rl,
                shown + " uses " + algorithm + ", which pip does not trust",
                "use a sha256 hash (pip only accepts sha256, sha384 and sha512; pip hash FILE"
                    + " prints sha256)"));
      } else if (!SHA256_HEX.matcher(digest).matches()) {
        problems.add(
            problem(
                rl,
                shown + " is not a sha256 digest (64 hex digits)",
                "copy the whole hash from pip hash FILE or pip-compile --generate-hashes"));
      }
    }
  }
}
