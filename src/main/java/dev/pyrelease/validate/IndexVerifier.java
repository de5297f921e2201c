package dev.pyrelease.validate;

import dev.pyrelease.index.IndexException;
import dev.pyrelease.index.IndexFile;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureCheck;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.CoreMetadata;
import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.Pin;
import dev.pyrelease.python.Problem;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.RequirementLine;
import dev.pyrelease.python.TagPriority;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.python.Version;
import dev.pyrelease.python.WheelFilename;
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
  /** What the index said: problems at the pins' lines, closure problems, and the chosen files. */
  public record Result(
      List<Problem> problems, List<ClosureProblem> closure, Map<String, IndexFile> chosen) {}

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
    if (closureCheck && problems.isEmpty()) {
      closure = closure(closurePins, chosen, problems, pins);
    }
    return new Result(problems, closure, chosen);
  }

  private List<ClosureProblem> closure(
      List<Pin> pins,
      Map<String, IndexFile> chosen,
      List<Problem> problems,
      List<RequirementLine> lines) {
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
    return ClosureCheck.check(pins, metadata, target);
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
    try {
      if (f.isWheel()) {
        return Optional.of(WheelFilename.parse(f.filename()).version());
      }
      String base = f.filename();
      for (String ext : List.of(".tar.gz", ".zip", ".tar.bz2", ".tgz")) {
        if (base.endsWith(ext)) {
          base = base.substring(0, base.length() - ext.length());
          int dash = base.lastIndexOf('-');
          if (dash > 0 && PackageName.normalize(base.substring(0, dash)).equals(name)) {
            return Optional.of(Version.parse(base.substring(dash + 1)));
          }
        }
      }
    } catch (PythonSyntaxException e) {
      // a file name the index should not have; it offers no version
    }
    return Optional.empty();
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
