package dev.pyrelease.engine;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The directory the three build steps share (an emptyDir at {@code /workspace} in the build Job):
 *
 * <pre>
 * src/               the source checkout (source step)
 * venv.py            the venv script, copied out of the jar (source step)
 * requirements.txt   the normalised pinned requirements (source step)
 * build-commands.json  spec.build.commands, a JSON list of argv lists (source step)
 * plan.json          keys and everything the later steps need (source step)
 * venv-mode          FULL, APP_ONLY or NONE: how much of the venv step runs (source step)
 * venv/              mounted at /opt/venv in the venv step
 * out/               manifest.json, pip.log, app-files/ (venv step; the build commands run
 *                    in app-files/, mounted at /app), commands-error.txt (a failed command)
 * wheels/            the wheels pip built or downloaded (venv step)
 * result.json        digest, layers, distributions, closure (assemble step)
 * </pre>
 */
public record Workspace(Path root, Path venvDir) {
  public static final String VENV_PATH = "/opt/venv";

  /**
   * @param venvDir where the venv step's venv is on this machine: {@code root/venv} locally; in the
   *     build Job the assemble container mounts the venv volume at {@code /opt/venv}
   */
  public Workspace {
    root = root.toAbsolutePath().normalize();
    venvDir = venvDir == null ? root.resolve("venv") : venvDir.toAbsolutePath().normalize();
  }

  public Workspace(Path root) {
    this(root, null);
  }

  public Path src() {
    return root.resolve("src");
  }

  public Path script() {
    return root.resolve("venv.py");
  }

  public Path requirements() {
    return root.resolve("requirements.txt");
  }

  public Path plan() {
    return root.resolve("plan.json");
  }

  /** {@code spec.build.commands} as venv.py reads them: a JSON list of argument vectors. */
  public Path buildCommands() {
    return root.resolve("build-commands.json");
  }

  /** Where venv.py writes why a build command failed: its last output lines, then the error. */
  public Path commandsError() {
    return out().resolve("commands-error.txt");
  }

  public Path venv() {
    return venvDir;
  }

  public Path out() {
    return root.resolve("out");
  }

  public Path manifest() {
    return out().resolve("manifest.json");
  }

  public Path appFiles() {
    return out().resolve("app-files");
  }

  public Path wheels() {
    return root.resolve("wheels");
  }

  /**
   * The venv step's mode, decided by the source step ({@code FULL}, {@code APP_ONLY}, {@code
   * NONE}).
   */
  public Path modeFile() {
    return root.resolve("venv-mode");
  }

  /**
   * The rebase's input (venv-mode {@code REBASED}): the previous dependency image, pinned, and its
   * rebase record (interpreter, shared objects), written by the source step for venv.py.
   */
  public Path rebaseInput() {
    return root.resolve("rebase.json");
  }

  /** venv.py's rebase record of the venv it made, which goes into the dependency image. */
  public Path rebaseRecord() {
    return out().resolve(Rebase.RECORD_FILE);
  }

  public Path result() {
    return root.resolve("result.json");
  }

  /** Deletes a directory tree if it exists (links are removed, not followed). */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              if (exc != null && !(exc instanceof NoSuchFileException)) {
                throw exc;
              }
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw BuildException.environment("cannot delete " + dir + ": " + e);
    }
  }
}
