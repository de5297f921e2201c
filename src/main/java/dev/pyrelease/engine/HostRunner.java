package dev.pyrelease.engine;

import dev.pyrelease.image.ImageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the venv script with the machine's own python3 (a CI job already inside a python image).
 *
 * <p>The venv must be built at its final path {@code /opt/venv}. Rather than writing the machine's
 * {@code /opt/venv}, the script runs in a private mount namespace ({@code unshare --mount
 * --propagation private}) in which the workspace's venv/ is bind-mounted on {@code /opt/venv}: the
 * machine's own {@code /opt/venv} is never written, and concurrent builds do not collide. This
 * needs root (or CAP_SYS_ADMIN) and an existing {@code /opt/venv} directory as the mount point,
 * which is created (empty) when missing; without them the runner fails with exit 2 saying so.
 *
 * <p>Hermetic: the process gets the environment without PIP_* and PYTHON* variables, and the script
 * runs pip with {@code --isolated} and {@code PIP_CONFIG_FILE=/dev/null}, so the machine's pip.conf
 * (extra-index-url, find-links) is ignored.
 *
 * <p>The build commands run on their own ({@link VenvInvocation.Commands#ONLY}), after the venv
 * step, in a private mount and network namespace ({@code unshare --mount --net}: no network, not
 * even loopback): the venv bind-mounted read-only on {@code /opt/venv}, the exported app on {@code
 * /app}, a private tmpfs on {@code /tmp/pyrelease-commands} (their HOME and TMPDIR); the script
 * runs them as the build user. The rest of the machine's file system is what that user may write
 * (world-writable directories such as {@code /tmp}); their PATH ends with this machine's.
 */
public final class HostRunner implements VenvRunner {
  static final int MOUNT_FAILED = 97;

  private final String python;
  private final Map<String, String> env;

  /**
   * @param python the interpreter, normally {@code python3}
   * @param env the machine's environment (cleaned before use)
   */
  public HostRunner(String python, Map<String, String> env) {
    this.python = python;
    this.env = ProcessRunner.hermetic(env);
  }

  @Override
  public String name() {
    return "host";
  }

  @Override
  public boolean runsImages() {
    return false;
  }

  /**
   * The interpreter a venv made by the host's python3 copies (venv --copies) and names in its
   * pyvenv.cfg: its real path, version and sha256.
   */
  public record Interpreter(String path, String version, String sha256) {}

  /** Reads a file of the base image: its sha256, or empty when it has no regular file there. */
  public interface BaseFiles {
    Optional<String> sha256(String absolutePath) throws ImageException;
  }

  /** The host's interpreter, as {@link Interpreter}. */
  public Interpreter interpreter() {
    List<String> out =
        ask(
            "import os, sys; print(os.path.realpath(getattr(sys, '_base_executable', None) or"
                + " sys.executable)); print(sys.version.split()[0])");
    if (out.size() < 2) {
      throw BuildException.environment("runner host: '" + python + "' did not say what it is");
    }
    String path = out.get(out.size() - 2).trim();
    try {
      return new Interpreter(
          path, out.get(out.size() - 1).trim(), SourceTree.sha256(Path.of(path)));
    } catch (RuntimeException e) {
      throw BuildException.environment("runner host: cannot read " + path + ": " + e.getMessage());
    }
  }

  /**
   * A venv made on this machine runs in the image only if the base image has this machine's
   * interpreter at the same path (its pyvenv.cfg names that directory; the stdlib and libpython are
   * found from there): the same bytes there is what "the machine's own interpreter is the base's"
   * means. A pyenv or /usr/local interpreter on a Debian-python base made a venv whose python
   * failed at start in the image, and was pushed as the dependency image all the same.
   *
   * @param base how the base is named in messages
   * @return the interpreter's path
   */
  public String requireTheBasesInterpreter(String base, BaseFiles files) {
    Interpreter mine = interpreter();
    Optional<String> theirs;
    try {
      theirs = files.sha256(mine.path());
    } catch (ImageException e) {
      throw BuildException.environment(
          "runner host: cannot read the base image "
              + base
              + " to compare interpreters: "
              + e.getMessage(),
          e);
    }
    if (theirs.isPresent() && theirs.get().equals(mine.sha256())) {
      return mine.path();
    }
    throw BuildException.environment(
        "runner host: this machine's "
            + python
            + " is "
            + mine.path()
            + " (Python "
            + mine.version()
            + "), and the base image "
            + base
            + (theirs.isEmpty()
                ? " has no such file"
                : " has another build of it there (sha256 " + theirs.get().substring(0, 12) + "…)")
            + ": a venv made with it would not run in the image. Use --runner podman (or docker),"
            + " or run the build inside the base image");
  }

  private List<String> ask(String code) {
    try {
      ProcessRunner.Outcome o = ProcessRunner.run(List.of(python, "-I", "-c", code), env, null, "");
      if (o.exitCode() != 0 || o.tail().isEmpty()) {
        throw BuildException.environment(
            "runner host: '" + python + "' failed (exit " + o.exitCode() + "): " + o.reason());
      }
      return o.tail();
    } catch (IOException e) {
      throw BuildException.environment(
          "runner host: cannot start '" + python + "': " + e.getMessage());
    }
  }

  /** The interpreter's X.Y. */
  public String pythonVersion() {
    List<String> out = ask("import sys; print('%d.%d' % sys.version_info[:2])");
    return out.get(out.size() - 1).trim();
  }

  List<String> command(VenvInvocation inv) {
    if (inv.task() != VenvInvocation.Task.VENV || inv.runImage() != null) {
      throw new IllegalArgumentException("the host runner runs in no image: no build image");
    }
    if (inv.commands() == VenvInvocation.Commands.AFTER_APP) {
      throw new IllegalArgumentException("the host runner runs the build commands on their own");
    }
    if (inv.commands() == VenvInvocation.Commands.ONLY) {
      return commandsCommand(inv);
    }
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            "mount --bind \"$0\" "
                + Workspace.VENV_PATH
                + " || exit "
                + MOUNT_FAILED
                + "; exec \"$@\"",
            inv.workspace().venv().toString(),
            python,
            "-I"));
    cmd.addAll(
        inv.scriptArgs(
            Path::toString, inv.netrc() == null ? null : inv.netrc().toAbsolutePath().toString()));
    return cmd;
  }

  private List<String> commandsCommand(VenvInvocation inv) {
    Workspace ws = inv.workspace();
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "unshare",
            "--mount",
            "--net",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            "mount --bind \"$0\" "
                + Workspace.VENV_PATH
                + " && mount -o remount,bind,ro "
                + Workspace.VENV_PATH
                + " && mount --bind \"$1\" "
                + VenvInvocation.RUN_DIR
                + " && mount -t tmpfs -o mode=0755 pyrelease "
                + VenvInvocation.COMMANDS_TMP
                + " || exit "
                + MOUNT_FAILED
                + "; shift; exec \"$@\"",
            ws.venv().toString(),
            ws.appFiles().toString(),
            python,
            "-I"));
    cmd.addAll(inv.scriptArgs(Path::toString, null));
    return cmd;
  }

  @Override
  public void run(VenvInvocation inv, PrintWriter log) {
    if (inv.commands() == VenvInvocation.Commands.ONLY) {
      runCommands(inv, log);
      return;
    }
    String have = pythonVersion();
    if (inv.pythonVersion() != null && !have.equals(inv.pythonVersion())) {
      throw BuildException.environment(
          "runner host: python3 is Python "
              + have
              + ", the release wants "
              + inv.pythonVersion()
              + "; use --runner podman, or a machine with Python "
              + inv.pythonVersion());
    }
    try {
      Files.createDirectories(inv.workspace().venv());
      Files.createDirectories(inv.workspace().out());
    } catch (IOException e) {
      throw BuildException.environment("cannot create the workspace: " + e);
    }
    try {
      Files.createDirectories(Path.of(Workspace.VENV_PATH));
    } catch (IOException e) {
      throw BuildException.environment(
          "runner host: "
              + Workspace.VENV_PATH
              + " (the mount point of the venv) does not exist and cannot be created: "
              + e
              + "; the host runner needs root");
    }
    ProcessRunner.Outcome o;
    try {
      o = ProcessRunner.run(command(inv), env, log, "");
    } catch (IOException e) {
      throw BuildException.environment("runner host: cannot start 'unshare': " + e.getMessage());
    }
    if (o.exitCode() == MOUNT_FAILED || (o.exitCode() != 0 && o.reason().startsWith("unshare:"))) {
      throw BuildException.environment(
          "runner host: cannot bind-mount the venv on "
              + Workspace.VENV_PATH
              + " in a private mount namespace (needs root or CAP_SYS_ADMIN): "
              + o.reason());
    }
    ProcessRunner.check("host", o);
  }

  private void runCommands(VenvInvocation inv, PrintWriter log) {
    for (String dir : List.of(VenvInvocation.RUN_DIR, VenvInvocation.COMMANDS_TMP)) {
      try {
        Files.createDirectories(Path.of(dir));
      } catch (IOException e) {
        throw BuildException.environment(
            "runner host: "
                + dir
                + " (a mount point of the build commands) does not exist and cannot be created: "
                + e
                + "; the host runner needs root");
      }
    }
    ProcessRunner.Outcome o;
    try {
      o = ProcessRunner.run(command(inv), env, log, "");
    } catch (IOException e) {
      throw BuildException.environment("runner host: cannot start 'unshare': " + e.getMessage());
    }
    if (o.exitCode() == MOUNT_FAILED || (o.exitCode() != 0 && o.reason().startsWith("unshare:"))) {
      throw BuildException.environment(
          "runner host: cannot set up the build commands' namespaces (the venv read-only on "
              + Workspace.VENV_PATH
              + ", the app on "
              + VenvInvocation.RUN_DIR
              + ", no network; needs root or CAP_SYS_ADMIN): "
              + o.reason());
    }
    ProcessRunner.check("host", o);
  }
}
