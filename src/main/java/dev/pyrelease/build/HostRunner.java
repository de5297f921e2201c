package dev.pyrelease.build;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /** The interpreter's X.Y. */
  public String pythonVersion() {
    try {
      ProcessRunner.Outcome o =
          ProcessRunner.run(
              List.of(python, "-I", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"),
              env,
              null,
              "");
      if (o.exitCode() != 0 || o.tail().isEmpty()) {
        throw BuildException.environment(
            "runner host: '" + python + "' failed (exit " + o.exitCode() + "): " + o.reason());
      }
      return o.tail().get(o.tail().size() - 1).trim();
    } catch (IOException e) {
      throw BuildException.environment(
          "runner host: cannot start '" + python + "': " + e.getMessage());
    }
  }

  List<String> command(VenvInvocation inv) {
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

  @Override
  public void run(VenvInvocation inv, PrintWriter log) {
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
}
