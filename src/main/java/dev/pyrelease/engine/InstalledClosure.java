package dev.pyrelease.engine;

import dev.pyrelease.image.VenvManifest;
import dev.pyrelease.python.ClosureCheck;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.CoreMetadata;
import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.Pin;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.TargetPython;
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
    List<ClosureProblem> problems =
        new ArrayList<>(ClosureCheck.check(pins, metadata, target(manifest)));
    problems.addAll(sharedLibraries(manifest));
    return problems;
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
