package dev.pyrelease.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * The permission bits of the files a layer plan names: the one file-system read a plan makes for
 * every file, kept apart from {@link LayerPlan}'s rules.
 */
final class FileModes {
  private FileModes() {}

  /**
   * The permission bits of a file (following links), e.g. {@code 0755}.
   *
   * @throws UncheckedIOException when it is missing or not a regular file
   */
  static int of(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("not a regular file (or a dangling link)");
        }
        throw new NoSuchFileException(file.toString());
      }
      int mode = 0;
      for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
        mode |= bit(p);
      }
      return mode;
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("file named by the venv manifest is missing: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int bit(PosixFilePermission p) {
    return switch (p) {
      case OWNER_READ -> 0400;
      case OWNER_WRITE -> 0200;
      case OWNER_EXECUTE -> 0100;
      case GROUP_READ -> 040;
      case GROUP_WRITE -> 020;
      case GROUP_EXECUTE -> 010;
      case OTHERS_READ -> 04;
      case OTHERS_WRITE -> 02;
      case OTHERS_EXECUTE -> 01;
    };
  }
}
