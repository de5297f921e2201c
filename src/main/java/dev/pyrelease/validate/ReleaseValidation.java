package dev.pyrelease.validate;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.PinPolicy;
import dev.pyrelease.python.Problem;
import dev.pyrelease.release.ReleaseRequirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation every command starts with, without an index: the manifest (YAML, schema), the
 * spec's semantic rules, the requirements (file in the checkout, or inline) and the pin policy.
 * Shared by {@code check} and {@code build}, so both reject exactly the same input.
 *
 * @param manifest the manifest, or null when it could not be read
 * @param requirements the parsed requirements, or null when validation stopped before them
 * @param problems every problem found, in location order; empty means valid
 * @param needsSource true when spec.requirements.file is used and no checkout was given
 */
public record ReleaseValidation(
    Manifest manifest,
    ParsedRequirements requirements,
    List<Problem> problems,
    boolean needsSource) {

  public ReleaseValidation {
    problems = problems.stream().sorted(Problem.BY_LOCATION).toList();
  }

  public boolean ok() {
    return problems.isEmpty() && !needsSource;
  }

  /**
   * @param file the manifest file
   * @param source a checkout of the release's repository, or null
   */
  public static ReleaseValidation of(Path file, Path source) {
    return of(file, tree(source));
  }

  /**
   * @param repository the release's repository at the commit (a checkout, or the commit read from
   *     git as the operator reads it), or null
   */
  public static ReleaseValidation of(Path file, FileTree repository) {
    ManifestReader reader = ManifestReader.fromGeneratedCrd();
    try {
      return of(reader.read(file), repository);
    } catch (ManifestException e) {
      return new ReleaseValidation(null, null, e.problems(), false);
    }
  }

  private static FileTree tree(Path checkout) {
    return checkout == null ? null : FileTree.directory(checkout);
  }

  /**
   * The same with a reader made before (a {@code build --watch} session validates on every rebuild,
   * and parsing the CRD's schema is most of the time a validation takes).
   */
  public static ReleaseValidation of(ManifestReader reader, Path file, Path source) {
    try {
      return of(reader.read(file), tree(source));
    } catch (ManifestException e) {
      return new ReleaseValidation(null, null, e.problems(), false);
    }
  }

  /**
   * The same for a release given as text (YAML or JSON, e.g. the build Job's {@code
   * --release-json}).
   *
   * @param displayName how problems name it
   */
  public static ReleaseValidation ofText(String displayName, String text, Path source) {
    try {
      return of(ManifestReader.fromGeneratedCrd().read(displayName, text), tree(source));
    } catch (ManifestException e) {
      return new ReleaseValidation(null, null, e.problems(), false);
    }
  }

  private static ReleaseValidation of(Manifest manifest, FileTree source) {
    List<Problem> problems = new ArrayList<>(SpecValidator.validate(manifest));
    if (!problems.isEmpty()) {
      return new ReleaseValidation(manifest, null, problems, false);
    }
    var spec = manifest.release().getSpec();
    if (spec.getRequirements().getFile() != null && source == null) {
      return new ReleaseValidation(manifest, null, List.of(), true);
    }
    ParsedRequirements parsed = ReleaseRequirements.read(spec, source);
    boolean requireHashes = Boolean.TRUE.equals(spec.getRequirements().getRequireHashes());
    problems.addAll(
        ReleaseRequirements.atSpecField(
            PinPolicy.check(parsed, requireHashes),
            spec,
            manifest.file(),
            manifest.lineOf("spec.requirements.file")));
    return new ReleaseValidation(manifest, parsed, problems, false);
  }
}
