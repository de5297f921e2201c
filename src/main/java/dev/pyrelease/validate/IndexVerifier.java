package dev.pyrelease.validate;

import dev.pyrelease.index.IndexException;
import dev.pyrelease.index.IndexFile;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureCheck;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.CoreMetadata;
import dev.pyrelease.python.Pin;
import dev.pyrelease.python.Problem;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.RequirementLine;
import dev.pyrelease.python.TagPriority;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.python.Version;
import dev.pyrelease.python.WheelFilename;
import dev.pyrelease.release.ClosureOnIndex;
import dev.pyrelease.release.ClosureSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks pinned requirements against a real index, as pip would meet them: each pin exists for the
 * target interpreter, its pinned hashes match the file pip would take, and the pinned set is closed
 * (every distribution's dependencies pinned at accepted versions).
 *
 * <p>Only pins that passed the pin policy are given here, so each has exactly one {@code ==}.
 */
public final class IndexVerifier {
  /**
   * What the index said: problems at the pins' lines, closure problems (ignored ones marked), the
   * chosen files, the lines whose marker is false for the target (neither looked up nor installed),
   * and whether the closure was checked (on, and no pin problem stopped it).
   */
  public record Result(
      List<Problem> problems,
      List<ClosureProblem> closure,
      Map<String, IndexFile> chosen,
      List<RequirementLine> skipped,
      boolean closureChecked) {
    public Result(
        List<Problem> problems, List<ClosureProblem> closure, Map<String, IndexFile> chosen) {
      this(problems, closure, chosen, List.of(), false);
    }

    /** The closure problems that fail the check (not ignored). */
    public List<ClosureProblem> failingClosure() {
      return ClosureProblem.failing(closure);
    }
  }

  private final PackageIndex index;
  private final TargetPython target;
  private final TagPriority tags;

  public IndexVerifier(PackageIndex index, TargetPython target) {
    this.index = index;
    this.target = target;
    this.tags = TagPriority.of(target);
  }

  /**
   * @throws IndexException UNREACHABLE when the index cannot be read (an environment problem, not
   *     the user's input)
   */
  public Result verify(List<RequirementLine> pins, boolean closureCheck) {
    return verify(pins, new ClosureSettings(closureCheck, Map.of()), List.of());
  }

  /**
   * @param all the release's pins; those whose marker is false for the target are skipped (pip
   *     skips them: they need not exist on the index)
   * @param settings the release's closure settings
   * @param roots requirements besides the pins' that must be met (a package app's own)
   * @throws IndexException UNREACHABLE when the index cannot be read
   */
  public Result verify(
      List<RequirementLine> all, ClosureSettings settings, List<ClosureCheck.Root> roots) {
    List<RequirementLine> pins = new ArrayList<>();
    List<RequirementLine> skipped = new ArrayList<>();
    for (RequirementLine line : all) {
      (line.requirement().appliesTo(target, Set.of()) ? pins : skipped).add(line);
    }
    boolean closureCheck = settings.enabled();
    List<String> names =
        pins.stream().map(p -> p.requirement().normalizedName()).distinct().toList();
    Map<String, List<IndexFile>> pages = index.files(names);
    List<Problem> problems = new ArrayList<>();
    Map<String, IndexFile> chosen = new LinkedHashMap<>();
    List<Pin> closurePins = new ArrayList<>();
    for (RequirementLine line : pins) {
      String name = line.requirement().normalizedName();
      Version version = pinnedVersion(line);
      closurePins.add(new Pin(name, version, line.requirement().extras(), line.location()));
      List<IndexFile> files = pages.get(name);
      if (files == null) {
        problems.add(
            problem(
                line,
                "'" + name + "' is not on the index",
                "check the name, or publish it to the index"));
        continue;
      }
      List<IndexFile> sameVersion =
          files.stream().filter(f -> hasVersion(f, name, version)).toList();
      if (sameVersion.isEmpty()) {
        problems.add(
            problem(
                line,
                name + "==" + version + " is not on the index",
                "pin a version the index has: " + versions(files, name)));
        continue;
      }
      List<IndexFile> usable = usable(sameVersion);
      if (usable.isEmpty()) {
        problems.add(
            problem(
                line,
                "no file of " + name + "==" + version + " installs on " + describe(target),
                "publish a wheel for this target or an sdist; the index has "
                    + sameVersion.stream().map(IndexFile::filename).toList()));
        continue;
      }
      List<String> hashes = line.hashes().stream().map(h -> h.toLowerCase()).toList();
      List<IndexFile> matching =
          hashes.isEmpty()
              ? usable
              : usable.stream()
                  .filter(f -> f.sha256() != null && hashes.contains("sha256:" + f.sha256()))
                  .toList();
      if (matching.isEmpty()) {
        IndexFile best = usable.get(0);
        problems.add(
            problem(
                line,
                "no pinned hash of "
                    + name
                    + "=="
                    + version
                    + " matches its files on the index ("
                    + best.filename()
                    + " has sha256:"
                    + best.sha256()
                    + ")",
                "regenerate the hashes (pip-compile --generate-hashes) against this index"));
        continue;
      }
      chosen.put(name, matching.get(0));
    }
    List<ClosureProblem> closure = List.of();
    boolean checked = closureCheck && problems.isEmpty();
    if (checked) {
      closure = closure(closurePins, chosen, problems, pins, roots);
      closure = ClosureProblem.applyIgnores(closure, settings.ignore());
      closure = ClosureOnIndex.annotate(closure, index, target);
    }
    return new Result(problems, closure, chosen, List.copyOf(skipped), checked);
  }

  private List<ClosureProblem> closure(
      List<Pin> pins,
      Map<String, IndexFile> chosen,
      List<Problem> problems,
      List<RequirementLine> lines,
      List<ClosureCheck.Root> roots) {
    Map<IndexFile, String> texts = index.metadata(chosen.values());
    Map<String, CoreMetadata> metadata = new LinkedHashMap<>();
    for (var e : chosen.entrySet()) {
      try {
        metadata.put(e.getKey(), CoreMetadata.parse(texts.get(e.getValue())));
      } catch (PythonSyntaxException ex) {
        RequirementLine line =
            lines.stream()
                .filter(l -> l.requirement().normalizedName().equals(e.getKey()))
                .findFirst()
                .orElseThrow();
        problems.add(
            problem(
                line,
                "the METADATA of "
                    + e.getValue().filename()
                    + " cannot be read: "
                    + ex.getMessage(),
                "republish the distribution"));
      }
    }
    return ClosureCheck.check(pins, metadata, target, roots);
  }

  /** Wheels for the target, best first by pip's tag priority; then sdists. */
  private List<IndexFile> usable(List<IndexFile> files) {
    List<IndexFile> wheels = new ArrayList<>();
    List<IndexFile> sdists = new ArrayList<>();
    for (IndexFile f : files) {
      if (f.isWheel()) {
        wheel(f).filter(w -> tags.rank(w) >= 0).ifPresent(w -> wheels.add(f));
      } else {
        sdists.add(f);
      }
    }
    wheels.sort(Comparator.comparingInt(f -> wheel(f).map(tags::rank).orElse(0)));
    List<IndexFile> all = new ArrayList<>(wheels);
    all.addAll(sdists);
    return all;
  }

  private static Optional<WheelFilename> wheel(IndexFile f) {
    try {
      return Optional.of(WheelFilename.parse(f.filename()));
    } catch (PythonSyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean hasVersion(IndexFile f, String name, Version version) {
    return fileVersion(f, name).map(version::equals).orElse(false);
  }

  /** The version a file carries: from the wheel name, or from {@code name-version.tar.gz}. */
  static Optional<Version> fileVersion(IndexFile f, String name) {
    return ClosureOnIndex.fileVersion(f, name);
  }

  private static String versions(List<IndexFile> files, String name) {
    Set<Version> versions = new LinkedHashSet<>();
    files.forEach(f -> fileVersion(f, name).ifPresent(versions::add));
    List<String> sorted =
        versions.stream()
            .sorted(Comparator.reverseOrder())
            .limit(8)
            .map(Version::toString)
            .toList();
    return sorted.isEmpty() ? "(none)" : String.join(", ", sorted);
  }

  static Version pinnedVersion(RequirementLine line) {
    return Version.parse(line.requirement().specifier().specifiers().get(0).version());
  }

  private static String describe(TargetPython t) {
    return "CPython " + t.pythonVersion() + " (" + t.supportedTags().get(0) + ")";
  }

  private static Problem problem(RequirementLine line, String what, String fix) {
    return new Problem(line.file(), line.line(), line.text(), what, fix);
  }
}
