package dev.pyrelease.release;

import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.RequirementLine;
import dev.pyrelease.python.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The canonical text of pinned requirement lines: what the keys hash and what the venv step is
 * given. One line per pin, sorted by normalised name: {@code name[extras]==version; marker
 * --hash=sha256:... }, with the name PEP 503-normalised, extras normalised and sorted, the version
 * in PEP 440 normal form, the marker as parsed (canonical text) and hashes sorted. So comments,
 * ordering, include structure and whitespace do not change a key.
 *
 * <p>Only lines that passed the pin policy are given here, so each has exactly one {@code ==}.
 */
public final class NormalizedRequirements {
  private NormalizedRequirements() {}

  /** The canonical lines, with hashes, sorted. */
  public static List<String> withHashes(List<RequirementLine> lines) {
    return lines(lines, true);
  }

  /** The canonical lines without hashes, sorted. */
  public static List<String> withoutHashes(List<RequirementLine> lines) {
    return lines(lines, false);
  }

  /**
   * What the pins install, as {@code name==version} (PEP 503 name, PEP 440 normal form), sorted and
   * distinct: the distributions a revision's image has (pip installs each pin with {@code
   * --no-deps}). A pin with an environment marker is listed whatever the marker says.
   */
  public static List<String> distributions(List<RequirementLine> lines) {
    TreeSet<String> out = new TreeSet<>();
    for (RequirementLine l : lines) {
      var req = l.requirement();
      if (req.specifier().specifiers().size() == 1
          && req.specifier().specifiers().get(0).operator().equals("==")) {
        out.add(
            PackageName.normalize(req.name())
                + "=="
                + Version.parse(req.specifier().specifiers().get(0).version()));
      }
    }
    return List.copyOf(out);
  }

  /** A requirements file for pip: the canonical lines, one per line, ending with a newline. */
  public static String requirementsFile(List<RequirementLine> lines) {
    StringBuilder out = new StringBuilder();
    for (String l : withHashes(lines)) {
      out.append(l).append('\n');
    }
    return out.toString();
  }

  static String line(RequirementLine line, boolean hashes) {
    var req = line.requirement();
    StringBuilder out = new StringBuilder(PackageName.normalize(req.name()));
    if (!req.extras().isEmpty()) {
      TreeSet<String> extras = new TreeSet<>();
      req.extras().forEach(e -> extras.add(PackageName.normalize(e)));
      out.append('[').append(String.join(",", extras)).append(']');
    }
    if (req.specifier().specifiers().size() != 1
        || !req.specifier().specifiers().get(0).operator().equals("==")) {
      throw new IllegalArgumentException(
          line.location() + ": not an exact pin: " + line.requirementText());
    }
    out.append("==").append(Version.parse(req.specifier().specifiers().get(0).version()));
    if (req.marker() != null) {
      out.append("; ").append(req.marker());
    }
    if (hashes) {
      TreeSet<String> sorted = new TreeSet<>();
      line.hashes().forEach(h -> sorted.add(h.trim().toLowerCase(Locale.ROOT)));
      for (String h : sorted) {
        out.append(" --hash=").append(h);
      }
    }
    List<String> options = new ArrayList<>(line.options());
    options.sort(Comparator.naturalOrder());
    for (String o : options) {
      out.append(' ').append(o.trim());
    }
    return out.toString();
  }

  private static List<String> lines(List<RequirementLine> lines, boolean hashes) {
    List<String> out = new ArrayList<>();
    for (RequirementLine l : lines) {
      out.add(line(l, hashes));
    }
    out.sort(Comparator.naturalOrder());
    return List.copyOf(out);
  }
}
