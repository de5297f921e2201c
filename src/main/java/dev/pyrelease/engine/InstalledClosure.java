package dev.pyrelease.engine;

import dev.pyrelease.image.VenvManifest;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureCheck;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.CoreMetadata;
import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.Pin;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.release.ClosureOnIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The closure check on what was really installed: the {@code *.dist-info/METADATA} of every
 * distribution in the venv, evaluated for the interpreter that built it (its full version from the
 * venv manifest), against the release's pins; and the shared libraries its extension modules need,
 * which the venv step looked for in the base image (a manylinux wheel may rely on the system's
 * libstdc++ or libGL, and a slim base image may not have them).
 */
public final class InstalledClosure {
  private InstalledClosure() {}

  /**
   * @param manifest the venv step's manifest (full mode)
   * @param venvDir the venv on this machine
   * @param pins the release's pins
   */
  public static List<ClosureProblem> check(VenvManifest manifest, Path venvDir, List<Pin> pins) {
    List<ClosureProblem> problems =
        new ArrayList<>(
            ClosureCheck.check(pins, installedMetadata(manifest, venvDir), target(manifest)));
    problems.addAll(sharedLibraries(manifest));
    return problems;
  }

  /**
   * The closure check of a build, as the assemble step runs it: the pins pip installed for the
   * venv's interpreter (a pin whose marker is false is neither installed nor counted), a package
   * app's own Requires-Dist (from its installed METADATA) checked against them, what the index has
   * for each missing or conflicting requirement, and the release's {@code closure.ignore}.
   *
   * @param venvWasBuilt true when the venv step installed the pins here ({@link
   *     VenvStep.Mode#FULL}): their METADATA and shared libraries are checked; false on an existing
   *     dependency image, whose pins passed when it was pushed: then only the app's own
   *     dependencies are checked
   * @param appFiles where the venv step exported the app's files (a package app's dist-info)
   * @param index the release's index to look missing distributions up in, or null
   */
  public static List<ClosureProblem> check(
      VenvManifest manifest,
      Path venvDir,
      Path appFiles,
      BuildPlan plan,
      boolean venvWasBuilt,
      PackageIndex index) {
    TargetPython target = target(manifest);
    List<Pin> pins = plan.closurePins(target);
    Map<String, CoreMetadata> metadata =
        venvWasBuilt ? installedMetadata(manifest, venvDir) : Map.of();
    List<ClosureCheck.Root> roots = appRoot(manifest, appFiles);
    List<ClosureProblem> problems = new ArrayList<>();
    for (ClosureProblem p : ClosureCheck.check(pins, metadata, target, roots)) {
      if (venvWasBuilt
          || p.kind() == ClosureProblem.Kind.MISSING
          || p.kind() == ClosureProblem.Kind.CONFLICT) {
        problems.add(p);
      }
    }
    problems = new ArrayList<>(ClosureProblem.applyIgnores(problems, plan.closureIgnore()));
    if (index != null && problems.stream().anyMatch(p -> p.requirement() != null)) {
      problems = new ArrayList<>(ClosureOnIndex.annotate(problems, index, target));
    }
    if (venvWasBuilt) {
      problems.addAll(sharedLibraries(manifest));
    }
    return List.copyOf(problems);
  }

  /** A package app's own Requires-Dist, from the METADATA the venv step installed. */
  static List<ClosureCheck.Root> appRoot(VenvManifest manifest, Path appFiles) {
    VenvManifest.App app = manifest.app();
    if (app == null || !app.isPackage()) {
      return List.of();
    }
    String metadataFile =
        app.files().stream()
            .filter(f -> f.endsWith(".dist-info/METADATA"))
            .findFirst()
            .orElse(null);
    if (metadataFile == null) {
      return List.of();
    }
    try {
      CoreMetadata md =
          CoreMetadata.parse(
              Files.readString(appFiles.resolve(metadataFile), StandardCharsets.UTF_8));
      return List.of(
          new ClosureCheck.Root(
              "the app " + md.name() + " " + md.version() + " (its declared dependencies)",
              md.requiresDist()));
    } catch (IOException e) {
      throw BuildException.environment("closure check: cannot read " + metadataFile + ": " + e);
    } catch (PythonSyntaxException e) {
      throw BuildException.input(
          "closure check: the app's " + metadataFile + " is not valid METADATA: " + e.getMessage());
    }
  }

  private static Map<String, CoreMetadata> installedMetadata(VenvManifest manifest, Path venvDir) {
    Map<String, CoreMetadata> metadata = new LinkedHashMap<>();
    for (VenvManifest.Distribution d : manifest.distributions()) {
      String metadataFile =
          d.files().stream()
              .filter(f -> f.endsWith(".dist-info/METADATA"))
              .findFirst()
              .orElse(null);
      if (metadataFile == null) {
        continue; // reported by the check as NO_METADATA
      }
      try {
        String text = Files.readString(venvDir.resolve(metadataFile), StandardCharsets.UTF_8);
        CoreMetadata md = CoreMetadata.parse(text);
        metadata.put(md.normalizedName(), md);
      } catch (IOException e) {
        throw BuildException.environment("closure check: cannot read " + metadataFile + ": " + e);
      } catch (PythonSyntaxException e) {
        throw BuildException.input(
            "closure check: " + metadataFile + " is not valid METADATA: " + e.getMessage());
      }
    }
    return metadata;
  }

  /** One problem per distribution and library not found, naming the first object that needs it. */
  static List<ClosureProblem> sharedLibraries(VenvManifest manifest) {
    List<ClosureProblem> out = new ArrayList<>();
    for (VenvManifest.Distribution d : manifest.distributions()) {
      Map<String, List<String>> byLibrary = new TreeMap<>();
      for (VenvManifest.MissingLibraries m : d.missingLibraries()) {
        for (String lib : m.needs()) {
          byLibrary.computeIfAbsent(lib, k -> new ArrayList<>()).add(m.file());
        }
      }
      byLibrary.forEach(
          (lib, files) ->
              out.add(
                  new ClosureProblem(
                      ClosureProblem.Kind.SHARED_LIBRARY,
                      PackageName.normalize(d.name()),
                      d.name()
                          + " "
                          + d.version()
                          + ": "
                          + files.get(0)
                          + (files.size() > 1 ? " (and " + (files.size() - 1) + " more)" : "")
                          + " needs the shared library "
                          + lib
                          + ", which neither the base image nor the venv has, so importing it"
                          + " fails; use a base image that has it (install the system package"
                          + " that provides "
                          + lib
                          + "), or, if nothing imports it, set"
                          + " spec.requirements.closureCheck: false")));
    }
    return out;
  }

  static TargetPython target(VenvManifest manifest) {
    String version = manifest.python() == null ? null : manifest.python().version();
    if (version == null) {
      throw BuildException.environment("closure check: the venv manifest names no interpreter");
    }
    return TargetPython.linux(version);
  }
}
