package dev.pyrelease.python;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a set of exact pins is closed under its dependencies for one target interpreter.
 *
 * <p>Releases install with {@code pip install --no-deps}, so pip never looks at Requires-Dist; a
 * missing or mismatched dependency would only show up as an ImportError in production. This check
 * does what the resolver would have done: for every pin it evaluates the Requires-Dist of its
 * METADATA for the target and the extras asked for, and reports anything not satisfied by the pins.
 *
 * <p>Extras cascade: when any applicable requirement asks for {@code foo[bar]}, foo's {@code extra
 * == "bar"} requirements apply too, exactly as if foo had been pinned with {@code [bar]}. Like
 * pip's resolver, a requirement applies when its marker holds without extras or for one of the
 * extras requested of its distribution.
 *
 * <p>A pinned version satisfies a requirement whenever every clause matches, even when it is a
 * pre-release: the user chose it explicitly, and pip accepts it then.
 */
public final class ClosureCheck {
  /** What to do about closure problems, said once after them. */
  public static final String HOW_TO_FIX =
      "pin what is missing (name==version, from the same index) and change the pins that"
          + " conflict; a distribution the release really does without (the index lacks it, and"
          + " nothing it runs imports it) goes in spec.requirements.closure.ignore with a reason";

  /**
   * Requirements that are not any pin's but must be met too: a package app's own declared
   * dependencies ({@code [project] dependencies} of its pyproject.toml, or its installed METADATA).
   *
   * @param who how messages name the one requiring them, e.g. {@code the app shop 1.4.2}
   */
  public record Root(String who, List<Requirement> requires) {
    public Root {
      Objects.requireNonNull(who, "who");
      requires = List.copyOf(requires);
    }
  }

  private final Map<String, Pin> pins = new LinkedHashMap<>();
  private final Map<String, CoreMetadata> metadata = new HashMap<>();
  private final TargetPython target;
  private final Map<String, Set<String>> extras = new HashMap<>();
  private final List<Root> roots;

  private ClosureCheck(
      List<Pin> pinList,
      Map<String, CoreMetadata> metadataByName,
      TargetPython target,
      List<Root> roots) {
    this.target = target;
    this.roots = List.copyOf(roots);
    for (Pin pin : pinList) {
      pins.putIfAbsent(pin.normalizedName(), pin);
    }
    // normalise keys again so that a caller's "Flask" key still finds the "flask" pin
    metadataByName.forEach((k, v) -> metadata.putIfAbsent(PackageName.normalize(k), v));
  }

  /**
   * Every problem with {@code pins}, ordered by pin, then by requirement within the pin's METADATA.
   * An empty list means the closure is complete.
   *
   * @param pins the release's pins; for a name pinned twice the first pin counts
   * @param metadataByNormalizedName METADATA of the pinned distributions, keyed by normalised name
   * @param target the interpreter that markers and Requires-Python are evaluated for
   */
  public static List<ClosureProblem> check(
      List<Pin> pins, Map<String, CoreMetadata> metadataByNormalizedName, TargetPython target) {
    return check(pins, metadataByNormalizedName, target, List.of());
  }

  /**
   * The same, with requirements of {@code roots} (a package app's own dependencies) checked first.
   */
  public static List<ClosureProblem> check(
      List<Pin> pins,
      Map<String, CoreMetadata> metadataByNormalizedName,
      TargetPython target,
      List<Root> roots) {
    ClosureCheck check = new ClosureCheck(pins, metadataByNormalizedName, target, roots);
    check.collectExtras();
    return check.report();
  }

  /** METADATA usable for {@code name}: present and for the pinned version. */
  private CoreMetadata usableMetadata(String name) {
    CoreMetadata md = metadata.get(name);
    Pin pin = pins.get(name);
    return md != null && md.version().equals(pin.version()) ? md : null;
  }

  /** Fixpoint: the extras requested of each pinned distribution, by its pin or by dependents. */
  private void collectExtras() {
    Deque<String> work = new ArrayDeque<>();
    for (Pin pin : pins.values()) {
      Set<String> own = extras.computeIfAbsent(pin.normalizedName(), k -> new TreeSet<>());
      pin.extras().forEach(e -> own.add(PackageName.normalize(e)));
      work.add(pin.normalizedName());
    }
    for (Root root : roots) {
      for (Requirement r : root.requires()) {
        String dep = r.normalizedName();
        if (!r.extras().isEmpty() && pins.containsKey(dep) && r.appliesTo(target, Set.of())) {
          Set<String> depExtras = extras.get(dep);
          r.extras().forEach(e -> depExtras.add(PackageName.normalize(e)));
        }
      }
    }
    while (!work.isEmpty()) {
      String name = work.poll();
      CoreMetadata md = usableMetadata(name);
      if (md == null) {
        continue;
      }
      for (Requirement r : md.requiresDist()) {
        String dep = r.normalizedName();
        if (r.extras().isEmpty() || !pins.containsKey(dep) || reason(r, name) == null) {
          continue;
        }
        Set<String> depExtras = extras.get(dep);
        boolean changed = false;
        for (String e : r.extras()) {
          changed |= depExtras.add(PackageName.normalize(e));
        }
        if (changed) {
          work.add(dep);
        }
      }
    }
  }

  /**
   * Why requirement {@code r} of distribution {@code name} applies: "" when it applies without
   * extras, the extra that brings it in otherwise, null when it does not apply to the target.
   */
  private String reason(Requirement r, String name) {
    if (r.marker() == null || r.marker().evaluate(target, Set.of())) {
      return "";
    }
    for (String extra : extras.get(name)) {
      if (r.marker().evaluate(target, Set.of(extra))) {
        return extra;
      }
    }
    return null;
  }

  private List<ClosureProblem> report() {
    Set<ClosureProblem> problems = new LinkedHashSet<>();
    for (Root root : roots) {
      for (Requirement r : root.requires()) {
        if (r.appliesTo(target, Set.of())) {
          ClosureProblem p = checkRequirement(root.who(), r, requiredBecause(r, ""));
          if (p != null) {
            problems.add(p);
          }
        }
      }
    }
    for (Pin pin : pins.values()) {
      String name = pin.normalizedName();
      CoreMetadata md = metadata.get(name);
      if (md == null) {
        problems.add(
            new ClosureProblem(
                ClosureProblem.Kind.NO_METADATA,
                name,
                "no METADATA for " + pin.describe() + ", so its dependencies were not checked"));
        continue;
      }
      if (!md.version().equals(pin.version())) {
        problems.add(
            new ClosureProblem(
                ClosureProblem.Kind.NO_METADATA,
                name,
                "the METADATA found for "
                    + name
                    + " is for version "
                    + md.version()
                    + ", but "
                    + pin.normalizedName()
                    + "=="
                    + pin.version()
                    + " is pinned"
                    + origin(pin)));
        continue;
      }
      String who = name + " " + pin.version();
      if (!md.requiresPython().contains(target.pythonFullVersion(), true)) {
        problems.add(
            new ClosureProblem(
                ClosureProblem.Kind.REQUIRES_PYTHON,
                name,
                who
                    + " requires Python "
                    + md.requiresPython()
                    + ", target is "
                    + target.pythonFullVersion()
                    + pinnedAt(pin)));
      }
      for (Requirement r : md.requiresDist()) {
        String why = reason(r, name);
        if (why != null) {
          ClosureProblem p =
              checkRequirement(
                  who + (why.isEmpty() ? "" : " [" + why + "]"), r, requiredBecause(r, why));
          if (p != null) {
            problems.add(p);
          }
        }
      }
    }
    return List.copyOf(new ArrayList<>(problems));
  }

  /**
   * Which marker made {@code r} required, a clause for the end of a message: {@code required
   * unconditionally (no marker)}, {@code required: its marker 'M' is true for CPython X}, or for an
   * extra {@code required: its marker 'M' holds, the extra 'E' was asked for}.
   */
  private String requiredBecause(Requirement r, String extra) {
    if (r.marker() == null) {
      return "required unconditionally (no marker)";
    }
    if (extra.isEmpty()) {
      return "required: its marker '"
          + r.marker()
          + "' is true for CPython "
          + target.pythonFullVersion()
          + " on Linux";
    }
    return "required: its marker '"
        + r.marker()
        + "' holds, the extra '"
        + extra
        + "' was asked for";
  }

  private ClosureProblem checkRequirement(String who, Requirement r, String because) {
    String dep = r.normalizedName();
    Pin depPin = pins.get(dep);
    if (depPin == null) {
      return new ClosureProblem(
          ClosureProblem.Kind.MISSING,
          dep,
          who + " requires " + r.withoutMarker() + ", which is not pinned; " + because,
          r,
          null);
    }
    // a direct URL reference names no version to compare; the name being pinned is all we know
    if (r.url() == null && !r.specifier().contains(depPin.version(), true)) {
      return new ClosureProblem(
          ClosureProblem.Kind.CONFLICT,
          dep,
          who
              + " requires "
              + r.withoutMarker()
              + ", but "
              + dep
              + "=="
              + depPin.version()
              + " is pinned"
              + origin(depPin)
              + "; "
              + because,
          r,
          null);
    }
    return null;
  }

  private static String origin(Pin pin) {
    return pin.origin().isEmpty() ? "" : " (" + pin.origin() + ")";
  }

  private static String pinnedAt(Pin pin) {
    return pin.origin().isEmpty() ? "" : " (pinned at " + pin.origin() + ")";
  }
}
