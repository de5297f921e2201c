package dev.pyrelease.release;

import dev.pyrelease.index.IndexException;
import dev.pyrelease.index.IndexFile;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.Requirement;
import dev.pyrelease.python.TagPriority;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.python.Version;
import dev.pyrelease.python.WheelFilename;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the release's index has for each missing or conflicting requirement of the closure check,
 * added to its message: whether the distribution exists there at all ("pin it" is impossible advice
 * when it does not), and the versions that would satisfy the requirement. The same code for {@code
 * check}, {@code build} and the build Job.
 */
public final class ClosureOnIndex {
  /** Versions named in a message, newest first. */
  static final int MAX_VERSIONS = 8;

  private ClosureOnIndex() {}

  /**
   * The problems, each missing or conflicting requirement with what the index has. Never throws for
   * the index: when it cannot be read, the message says so.
   */
  public static List<ClosureProblem> annotate(
      List<ClosureProblem> problems, PackageIndex index, TargetPython target) {
    List<String> names =
        problems.stream()
            .filter(p -> p.requirement() != null)
            .map(ClosureProblem::distribution)
            .distinct()
            .toList();
    if (names.isEmpty()) {
      return problems;
    }
    Map<String, List<IndexFile>> pages;
    try {
      pages = index.files(names);
    } catch (IndexException | java.io.UncheckedIOException e) {
      return problems.stream()
          .map(
              p ->
                  p.requirement() == null
                      ? p
                      : p.withNote(
                          "whether the index has "
                              + p.distribution()
                              + " is not known: it could not be read ("
                              + e.getMessage()
                              + ")"))
          .toList();
    }
    TagPriority tags = TagPriority.of(target);
    List<ClosureProblem> out = new ArrayList<>(problems.size());
    for (ClosureProblem p : problems) {
      out.add(p.requirement() == null ? p : p.withNote(note(p, pages.get(p.distribution()), tags)));
    }
    return List.copyOf(out);
  }

  /** The sentence for one problem; {@code files} is null when the index has no such project. */
  static String note(ClosureProblem p, List<IndexFile> files, TagPriority tags) {
    String name = p.distribution();
    if (files == null) {
      return p.ignored()
          ? "the index has no " + name + " at all"
          : "the index has no "
              + name
              + " at all, so it cannot be pinned: publish it to the index, or, if nothing the"
              + " release runs imports it, add {name: "
              + name
              + ", reason: ...} to "
              + ClosureProblem.IGNORE_FIELD;
    }
    Requirement r = p.requirement();
    TreeSet<Version> all = new TreeSet<>(Comparator.reverseOrder());
    for (IndexFile f : files) {
      if (installable(f, tags)) {
        fileVersion(f, name).ifPresent(all::add);
      }
    }
    if (all.isEmpty()) {
      return "the index has " + name + ", but no file of it installs on this target";
    }
    if (r.url() != null) {
      return "the index has " + name + " " + list(new ArrayList<>(all));
    }
    List<Version> ok = all.stream().filter(v -> r.specifier().contains(v)).toList();
    if (ok.isEmpty()) {
      ok = all.stream().filter(v -> r.specifier().contains(v, true)).toList();
    }
    if (ok.isEmpty()) {
      return "the index has "
          + name
          + " "
          + list(new ArrayList<>(all))
          + ", none of which satisfies "
          + r.withoutMarker();
    }
    return "on the index, "
        + r.withoutMarker()
        + " is met by "
        + name
        + " "
        + list(ok)
        + " (pin one, e.g. "
        + name
        + "=="
        + ok.get(0)
        + ")";
  }

  private static String list(List<Version> versions) {
    List<String> shown = versions.stream().limit(MAX_VERSIONS).map(Version::toString).toList();
    return String.join(", ", shown)
        + (versions.size() > MAX_VERSIONS
            ? " (and " + (versions.size() - MAX_VERSIONS) + " older)"
            : "");
  }

  private static boolean installable(IndexFile f, TagPriority tags) {
    if (!f.isWheel()) {
      return true; // an sdist builds anywhere, as far as the index can tell
    }
    try {
      return tags.rank(WheelFilename.parse(f.filename())) >= 0;
    } catch (PythonSyntaxException e) {
      return false;
    }
  }

  /** The version a file carries: from the wheel name, or from {@code name-version.tar.gz}. */
  public static Optional<Version> fileVersion(IndexFile f, String name) {
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
}
