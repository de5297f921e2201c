package dev.pyrelease.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a planned layer.
 *
 * @param source the file on this machine
 * @param target its absolute path in the image
 * @param mode its permission bits (e.g. {@code 0755}), taken from the source file
 */
public record LayerFile(Path source, String target, int mode) {
  public LayerFile {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("target must be absolute: " + target);
    }
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("not a permission mode: " + Integer.toOctalString(mode));
    }
  }

  /** The mode as an octal string, e.g. {@code "755"}. */
  public String octalMode() {
    return String.format("%03o", mode);
  }
}
