package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.IndexSpec;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.index.IndexConfig;
import dev.pyrelease.index.IndexException;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.PinPolicy;
import dev.pyrelease.python.Problem;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.validate.IndexVerifier;
import dev.pyrelease.validate.Manifest;
import dev.pyrelease.validate.ManifestException;
import dev.pyrelease.validate.ManifestReader;
import dev.pyrelease.validate.ReleaseRequirements;
import dev.pyrelease.validate.SpecValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validates a PythonRelease manifest and its pinned requirements without building.",
      "With an index (spec.index, or --index-url) it also checks that every pin exists for the"
          + " target interpreter, that pinned hashes match the index, and that the pinned set is"
          + " closed (every dependency pinned at an accepted version)."
    })
final class CheckCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "RELEASE.yaml",
      description = "The PythonRelease manifest.")
  Path file;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "A checkout of the release's git repository (needed for requirements.file).")
  Path source;

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
      description = "Skip the index checks (pins, hashes, closure): validate the files only.")
  boolean noIndex;

  private final PrintWriter out;
  private final PrintWriter err;

  CheckCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Manifest manifest;
    try {
      manifest = ManifestReader.fromGeneratedCrd().read(file);
    } catch (ManifestException e) {
      return report(e.problems(), List.of());
    }
    List<Problem> problems = new ArrayList<>(SpecValidator.validate(manifest));
    if (!problems.isEmpty()) {
      return report(problems, List.of());
    }
    PythonReleaseSpec spec = manifest.release().getSpec();
    if (spec.getRequirements().getFile() != null && source == null) {
      err.println(
          "pyrelease check: spec.requirements.file is '"
              + spec.getRequirements().getFile()
              + "': give --source DIR, a checkout of "
              + spec.getSource().getGit().getUrl());
      return Exit.USAGE;
    }
    ParsedRequirements parsed = ReleaseRequirements.read(spec, source);
    boolean requireHashes = Boolean.TRUE.equals(spec.getRequirements().getRequireHashes());
    problems.addAll(PinPolicy.check(parsed, requireHashes));
    if (!problems.isEmpty() || noIndex) {
      return report(problems, List.of(), parsed.requirements().size(), noIndex);
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
    IndexLocation location = location(spec.getIndex());
    try (PackageIndex index = PackageIndex.open(location, IndexConfig.defaults())) {
      IndexVerifier.Result result =
          new IndexVerifier(index, target)
              .verify(
                  parsed.requirements(),
                  !Boolean.FALSE.equals(spec.getRequirements().getClosureCheck()));
      problems.addAll(result.problems());
      return report(problems, result.closure(), parsed.requirements().size(), false);
    } catch (IndexException e) {
      if (e.kind() == IndexException.Kind.UNREACHABLE) {
        err.println("pyrelease check: " + e.getMessage());
        return Exit.ENVIRONMENT;
      }
      err.println("pyrelease check: " + e.getMessage());
      return Exit.INPUT;
    }
  }

  private IndexLocation location(IndexSpec index) {
    if (indexUrl != null) {
      return IndexLocation.simple(indexUrl);
    }
    return index.getUrl() != null
        ? IndexLocation.simple(index.getUrl())
        : IndexLocation.findLinks(index.getFindLinks());
  }

  private int report(List<Problem> problems, List<ClosureProblem> closure) {
    return report(problems, closure, -1, false);
  }

  private int report(
      List<Problem> problems, List<ClosureProblem> closure, int pins, boolean skippedIndex) {
    problems.stream().sorted(Problem.BY_LOCATION).forEach(out::println);
    for (ClosureProblem c : closure) {
      out.println("closure: " + c.message());
    }
    if (problems.isEmpty() && closure.isEmpty()) {
      out.println(
          file
              + ": ok, "
              + pins
              + " requirements pinned"
              + (skippedIndex ? " (index not checked)" : ", all on the index, closure complete"));
      return Exit.OK;
    }
    out.println((problems.size() + closure.size()) + " problem(s) found");
    return Exit.INPUT;
  }
}
