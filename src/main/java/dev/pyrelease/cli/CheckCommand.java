package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.cli.options.RegistryOptions;
import dev.pyrelease.cli.options.ReleaseOptions;
import dev.pyrelease.engine.BaseImageDigest;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.ReleaseCheckout;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.index.CachingPackageIndex;
import dev.pyrelease.index.IndexConfig;
import dev.pyrelease.index.IndexException;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureCheck;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.FileTree;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.Problem;
import dev.pyrelease.python.ProjectDependencies;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.release.ClosureSettings;
import dev.pyrelease.release.IndexLocations;
import dev.pyrelease.release.ReleaseRequirements;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.validate.IndexVerifier;
import dev.pyrelease.validate.ReleaseValidation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    resourceBundle = "dev.pyrelease.cli.check", // what --source and --git-credentials mean here
    description = {
      "Validates a PythonRelease manifest and its pinned requirements without building.",
      "With an index (spec.index, or --index-url) it also checks that every pin exists for the"
          + " target interpreter, that pinned hashes match the index, and that the pinned set is"
          + " closed (every dependency pinned at an accepted version)."
    })
final class CheckCommand implements Callable<Integer> {
  @Mixin ReleaseOptions release = new ReleaseOptions();

  /** How to reach the base image's registry, to print the digest its tag resolves to. */
  @Mixin RegistryOptions registry = new RegistryOptions();

  @Option(
      names = "--index-url",
      paramLabel = "URL",
      description = "Use this PEP 503 simple index instead of spec.index (http(s):// or file://).")
  String indexUrl;

  @Option(
      names = "--python-version",
      paramLabel = "X.Y",
      description = "Target interpreter instead of spec.python.version.")
  String pythonVersion;

  @Option(
      names = "--no-index",
      description =
          "Skip the index checks (pins, hashes, closure) and the base image's registry: validate"
              + " the files only.")
  boolean noIndex;

  private final CliSettings settings;
  private PythonReleaseSpec validationSpec; // the checked release's spec, once read
  private final PrintWriter out;
  private final PrintWriter err;

  CheckCommand(CliSettings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    ReleaseValidation validation = ReleaseValidation.of(release.file(), release.source());
    if (validation.needsSource() && validation.problems().isEmpty()) {
      // no checkout given: the requirement files at the ref's commit, as the operator reads them
      PythonReleaseSpec spec = validation.manifest().release().getSpec();
      try (ReleaseCheckout at =
          ReleaseCheckout.fetch(
              spec.getSource().getGit(),
              ReleaseCheckout.Scope.REQUIREMENTS,
              release.gitCredentials(),
              settings.cacheDir() == null ? null : settings.cacheDir().resolve("git"),
              err)) {
        return check(ReleaseValidation.of(release.file(), at.tree()), at.tree());
      } catch (SourceException e) {
        if (ReleaseCheckout.isBadInput(e)) {
          err.println("pyrelease check: source: " + e.getMessage());
          return Exit.INPUT;
        }
        err.println(
            "pyrelease check: source: "
                + e.getMessage()
                + "; give --source DIR, a checkout, to check without the repository");
        return Exit.ENVIRONMENT;
      } catch (java.io.IOException e) {
        err.println("pyrelease check: cannot create a checkout directory: " + e);
        return Exit.ENVIRONMENT;
      }
    }
    return check(
        validation, release.source() == null ? null : FileTree.directory(release.source()));
  }

  private int check(ReleaseValidation validation, FileTree tree) {
    List<Problem> problems = new ArrayList<>(validation.problems());
    if (validation.requirements() == null) {
      return report(problems, null, null);
    }
    PythonReleaseSpec spec = validation.manifest().release().getSpec();
    validationSpec = spec;
    ParsedRequirements parsed = validation.requirements();
    ProjectDependencies app = ReleaseRequirements.appDependencies(spec, tree);
    if (!problems.isEmpty() || noIndex) {
      return report(problems, null, app, parsed.requirements().size());
    }
    String version = pythonVersion != null ? pythonVersion : spec.getPython().getVersion();
    TargetPython target;
    try {
      target = TargetPython.linux(version);
    } catch (RuntimeException e) {
      err.println(
          "pyrelease check: --python-version '" + version + "' is not X.Y: " + e.getMessage());
      return Exit.USAGE;
    }
    if (!baseImages(spec)) {
      return Exit.INPUT;
    }
    IndexLocation location = IndexLocations.of(spec.getIndex(), indexUrl);
    try (PackageIndex index = openIndex(location)) {
      List<ClosureCheck.Root> roots =
          app == null || app.requires().isEmpty()
              ? List.of()
              : List.of(new ClosureCheck.Root(app.who(appFile(spec)), app.requires()));
      IndexVerifier.Result result =
          new IndexVerifier(index, target)
              .verify(parsed.requirements(), ClosureSettings.of(spec), roots);
      problems.addAll(result.problems());
      return report(problems, result, app, parsed.requirements().size());
    } catch (IndexException e) {
      if (e.kind() == IndexException.Kind.UNREACHABLE) {
        err.println("pyrelease check: " + e.getMessage());
        return Exit.ENVIRONMENT;
      }
      err.println("pyrelease check: " + e.getMessage());
      return Exit.INPUT;
    }
  }

  /**
   * Prints the digest the base image (and the build image, when the release names one) resolves to
   * now: what a build would key and run. A tag can move, so this is as of now.
   *
   * @return false when one does not exist (printed as a problem)
   */
  private boolean baseImages(PythonReleaseSpec spec) {
    String base = BaseImageRef.choose(spec, null, null);
    if (base == null) {
      out.println(
          "base image: spec.python.baseImage not set (the operator's default for Python "
              + spec.getPython().getVersion()
              + " applies in the cluster; pyrelease build needs --base)");
      return true;
    }
    BaseImageDigest digests;
    try {
      digests =
          new BaseImageDigest(
              new RegistryHttp(
                  registry.credentials(), registry.insecure(), registry.credentialsOverHttp()));
    } catch (BuildException e) {
      out.println("base image: not resolved: " + e.getMessage());
      return true;
    }
    boolean ok = resolve("base image", "spec.python.baseImage", base, digests);
    String build = BaseImageRef.chooseBuild(spec, base);
    if (build != null) {
      ok &= resolve("build image", "spec.python.buildImage", build, digests);
    }
    return ok;
  }

  private boolean resolve(String what, String field, String reference, BaseImageDigest digests) {
    String digest;
    try {
      digest = digests.resolve(reference);
    } catch (BuildException e) {
      String message =
          field.endsWith("buildImage")
              ? BaseImageDigest.asBuildImage(e.getMessage())
              : e.getMessage();
      if (e.kind() == BuildException.Kind.INPUT) {
        out.println(field + ": " + message);
        return false;
      }
      out.println(what + ": " + reference + " not resolved: " + message);
      return true;
    }
    out.println(
        what
            + ": "
            + reference
            + (reference.contains("@") ? " (pinned)" : " resolves to " + digest)
            + "; a build runs "
            + new BaseImageRef(reference, digest).pinned());
    return true;
  }

  private PackageIndex openIndex(IndexLocation location) {
    PackageIndex index = PackageIndex.open(location, IndexConfig.defaults());
    return settings.metadataCache() == null
        ? index
        : new CachingPackageIndex(index, settings.metadataCache());
  }

  private static String appFile(PythonReleaseSpec spec) {
    String dir = spec.getSource() == null ? null : spec.getSource().getPath();
    return dir == null || dir.isBlank() || dir.equals(".")
        ? "pyproject.toml"
        : dir + "/pyproject.toml";
  }

  private int report(List<Problem> problems, IndexVerifier.Result result, ProjectDependencies app) {
    return report(problems, result, app, -1);
  }

  /**
   * Prints the problems and the verdict, saying what was checked and what was not: the index, the
   * closure, the app's own dependencies, lines skipped by their marker, ignored distributions.
   *
   * @param result what the index said, or null when it was not asked
   */
  private int report(
      List<Problem> problems, IndexVerifier.Result result, ProjectDependencies app, int pins) {
    problems.stream().sorted(Problem.BY_LOCATION).forEach(out::println);
    List<ClosureProblem> closure = result == null ? List.of() : result.closure();
    List<ClosureProblem> failing = ClosureProblem.failing(closure);
    for (ClosureProblem c : failing) {
      out.println("closure: " + c.message());
    }
    if (!failing.isEmpty()) {
      out.println("closure: to fix, " + ClosureCheck.HOW_TO_FIX);
    }
    for (ClosureProblem c : closure) {
      if (c.ignored()) {
        out.println("closure (ignored): " + c.describe());
      }
    }
    if (result != null && result.closureChecked() && validationSpec != null) {
      for (var e : ClosureSettings.of(validationSpec).ignore().entrySet()) {
        if (closure.stream().noneMatch(c -> c.ignored() && c.distribution().equals(e.getKey()))) {
          out.println(
              "note: "
                  + ClosureProblem.IGNORE_FIELD
                  + ": "
                  + e.getKey()
                  + " allows nothing: no requirement on it is missing or conflicting; remove it");
        }
      }
    }
    if (result != null) {
      for (var line : result.skipped()) {
        out.println(
            "note: "
                + line.location()
                + ": '"
                + line.requirementText()
                + "' is skipped: its marker is false for the target, so it is neither looked up"
                + " on the index nor installed");
      }
    }
    if (problems.isEmpty() && failing.isEmpty()) {
      out.println(
          release.file() + ": ok, " + pins + " requirements pinned, " + checked(result, app));
      return Exit.OK;
    }
    out.println((problems.size() + failing.size()) + " problem(s) found");
    return Exit.INPUT;
  }

  /** What was checked and what was not, for the verdict line. */
  private String checked(IndexVerifier.Result result, ProjectDependencies app) {
    if (result == null) {
      return "index and closure not checked (--no-index)";
    }
    StringBuilder b = new StringBuilder("all on the index");
    if (!result.closureChecked()) {
      b.append("; closure NOT checked (spec.requirements.closureCheck: false)");
      return b.toString();
    }
    List<String> ignored =
        result.closure().stream()
            .filter(ClosureProblem::ignored)
            .map(ClosureProblem::distribution)
            .distinct()
            .toList();
    b.append(
        ignored.isEmpty()
            ? ", closure complete"
            : ", closure complete except what "
                + ClosureProblem.IGNORE_FIELD
                + " allows: "
                + String.join(", ", ignored));
    if (app != null) {
      b.append(
          app.unknownBecause() == null
              ? "; the app's own dependencies (" + app.requires().size() + ") checked"
              : "; the app's own dependencies NOT checked: " + app.unknownBecause());
    }
    return b.toString();
  }
}
