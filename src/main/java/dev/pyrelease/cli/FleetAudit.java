package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which retained revisions of which releases install a distribution: read from {@code
 * status.revisions[].distributions} (the pins each revision was built from, recorded by the
 * operator), so a question about the whole fleet is one list call, no image pulled. Pure.
 */
final class FleetAudit {
  private FleetAudit() {}

  /**
   * What is asked: a distribution, and optionally one version of it.
   *
   * @param name PEP 503-normalised
   * @param version null: any version
   */
  record Query(String name, Version version) {
    /**
     * {@code NAME} or {@code NAME==VERSION}.
     *
     * @throws IllegalArgumentException when it is neither
     */
    static Query parse(String text) {
      String t = text.trim();
      int eq = t.indexOf("==");
      String name = eq < 0 ? t : t.substring(0, eq).trim();
      if (!PackageName.isValid(name)) {
        throw new IllegalArgumentException(
            "'" + text + "' is not NAME or NAME==VERSION (e.g. django or django==5.2.16)");
      }
      Version v = null;
      if (eq >= 0) {
        v = FleetAudit.version(t.substring(eq + 2).trim(), text);
      }
      return new Query(PackageName.normalize(name), v);
    }

    boolean matches(String name, Version version) {
      return this.name.equals(name) && (this.version == null || this.version.equals(version));
    }
  }

  /**
   * One revision that installs the distribution.
   *
   * @param serving it is the release's current revision
   * @param version the version it installs
   */
  record Match(
      String namespace,
      String release,
      int revision,
      RevisionState state,
      boolean serving,
      String distribution,
      Version version,
      String image) {

    /** It has an image that runs, or can again by a rollback (not a failed build). */
    boolean deployable() {
      return image != null && state != RevisionState.Failed;
    }
  }

  /** A revision whose distributions were not recorded (built before they were kept). */
  record Unknown(String namespace, String release, int revision) {}

  /** The matches, by namespace, release and revision (newest first); and what is unknown. */
  record Result(List<Match> matches, List<Unknown> unknown) {
    /** The deployable matches whose version is one of {@code versions}. */
    List<Match> failing(List<Version> versions) {
      return matches.stream()
          .filter(Match::deployable)
          .filter(m -> versions.stream().anyMatch(v -> v.equals(m.version())))
          .toList();
    }
  }

  static Result of(List<PythonRelease> releases, Query q) {
    List<Match> matches = new ArrayList<>();
    List<Unknown> unknown = new ArrayList<>();
    for (PythonRelease r : releases) {
      if (r.getStatus() == null || r.getStatus().getRevisions() == null) {
        continue;
      }
      String ns = r.getMetadata().getNamespace();
      String name = r.getMetadata().getName();
      Integer current = r.getStatus().getCurrentRevision();
      for (RevisionStatus rev : r.getStatus().getRevisions()) {
        if (rev.getNumber() == null) {
          continue;
        }
        if (rev.getDistributions() == null) {
          if (rev.getImage() != null) {
            unknown.add(new Unknown(ns, name, rev.getNumber()));
          }
          continue;
        }
        for (String d : rev.getDistributions()) {
          int eq = d.indexOf("==");
          if (eq < 0) {
            continue;
          }
          String dn = PackageName.normalize(d.substring(0, eq));
          Version dv;
          try {
            dv = Version.parse(d.substring(eq + 2));
          } catch (PythonSyntaxException e) {
            continue; // not something we wrote
          }
          if (q.matches(dn, dv)) {
            matches.add(
                new Match(
                    ns,
                    name,
                    rev.getNumber(),
                    rev.getState(),
                    Objects.equals(rev.getNumber(), current),
                    dn,
                    dv,
                    rev.getImage()));
          }
        }
      }
    }
    matches.sort(
        Comparator.comparing(Match::namespace)
            .thenComparing(Match::release)
            .thenComparing(Match::revision, Comparator.reverseOrder()));
    return new Result(matches, unknown);
  }

  /** A version given on the command line. */
  static Version version(String text, String where) {
    try {
      return Version.parse(text);
    } catch (PythonSyntaxException e) {
      throw new IllegalArgumentException(
          "'" + where + "': " + text + " is not a PEP 440 version", e);
    }
  }
}
