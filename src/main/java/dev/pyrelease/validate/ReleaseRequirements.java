package dev.pyrelease.validate;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.RequirementsFile;
import java.nio.file.Path;

/** Reads a release's requirements: the inline lines, or the file inside a checkout. */
public final class ReleaseRequirements {
  public static final String INLINE = "spec.requirements.inline";

  private ReleaseRequirements() {}

  /**
   * @param checkout the repository root (only read for {@code requirements.file}); includes may not
   *     leave it
   */
  public static ParsedRequirements read(PythonReleaseSpec spec, Path checkout) {
    if (spec.getRequirements().getInline() != null) {
      return RequirementsFile.parseInline(spec.getRequirements().getInline(), INLINE);
    }
    String appDir = spec.getSource().getPath() == null ? "." : spec.getSource().getPath();
    String relative =
        Path.of(appDir)
            .resolve(spec.getRequirements().getFile())
            .normalize()
            .toString()
            .replace('\\', '/');
    return RequirementsFile.read(checkout, relative);
  }
}
