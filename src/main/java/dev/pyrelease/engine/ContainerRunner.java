package dev.pyrelease.engine;

import dev.pyrelease.image.ImageSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the venv script in an image with podman or docker: {@code --network host} (so a loopback
 * index is reachable), the workspace mounted at {@code /workspace}, the workspace's venv/ at {@code
 * /opt/venv} (the venv's final path: shebangs and pyvenv.cfg name it), the index credentials file
 * mounted read-only. For {@code --app-only} the venv/ mount is left out: the dependency image's own
 * {@code /opt/venv} is used and only the app's files are exported.
 *
 * <p>A run with the build commands ({@link VenvInvocation#runsCommands()}) is isolated: {@code
 * --network none}, a read-only root file system with a private {@code /tmp}, the workspace
 * read-only but for {@code out/}, whose {@code app-files/} is also mounted at {@code /app} (where
 * the commands run), the venv read-only (the workspace's, or the dependency image's own), no
 * credentials. The script starts as root and runs the commands as the build user. The run image's
 * checks beside a build image ({@link VenvInvocation.Task}) are isolated alike.
 */
public final class ContainerRunner implements VenvRunner {
  static final String WORKSPACE = "/workspace";
  static final String NETRC = "/run/pyrelease/index/netrc";

  private final String engine;
  private final Map<String, String> env;
  private final boolean insecureRegistry;
  private final Path authFile;

  /**
   * @param engine {@code podman} or {@code docker} (the program name on PATH)
   * @param env the engine's environment (e.g. CONTAINERS_CONF for podman)
   * @param insecureRegistry pull over plain HTTP / without TLS verification (podman)
   * @param authFile a docker config.json with registry credentials for pulls, or null
   */
  public ContainerRunner(
      String engine, Map<String, String> env, boolean insecureRegistry, Path authFile) {
    this.engine = engine;
    this.env = Map.copyOf(env);
    this.insecureRegistry = insecureRegistry;
    this.authFile = authFile;
  }

  @Override
  public String name() {
    return engine;
  }

  @Override
  public boolean runsImages() {
    return true;
  }

  /** The full engine command line. */
  public List<String> command(VenvInvocation inv) {
    Workspace ws = inv.workspace();
    boolean isolated = inv.isolated();
    List<String> cmd =
        new ArrayList<>(List.of(engine, "run", "--rm", "--network", isolated ? "none" : "host"));
    if (engine.endsWith("podman")) {
      if (insecureRegistry) {
        cmd.add("--tls-verify=false");
      }
      if (authFile != null) {
        cmd.add("--authfile");
        cmd.add(authFile.toString());
      }
    }
    if (isolated) {
      cmd.addAll(List.of("--read-only", "--tmpfs", "/tmp"));
      cmd.add("-v");
      cmd.add(ws.root() + ":" + WORKSPACE + ":ro");
      cmd.add("-v");
      cmd.add(ws.out() + ":" + inside(ws, ws.out()));
      cmd.add("-v");
      cmd.add(ws.appFiles() + ":" + VenvInvocation.RUN_DIR);
      if (!inv.appOnly()) {
        cmd.add("-v");
        cmd.add(ws.venv() + ":" + Workspace.VENV_PATH + ":ro");
      }
    } else {
      cmd.add("-v");
      cmd.add(ws.root() + ":" + WORKSPACE);
      if (!inv.appOnly()) {
        cmd.add("-v");
        cmd.add(ws.venv() + ":" + Workspace.VENV_PATH);
      }
      if (inv.netrc() != null) {
        cmd.add("-v");
        cmd.add(inv.netrc().toAbsolutePath() + ":" + NETRC + ":ro");
      }
    }
    // the dependency image runs as a non-root user; the step writes the venv and the workspace
    // (with the build commands, venv.py drops to the build user to run them)
    cmd.add("--user");
    cmd.add("0:0");
    if (inv.appOnly() && !isolated) {
      // the dependency image puts /opt/venv/bin first on PATH; the step needs the base's python3
      // (with pip), as in the full step
      cmd.add("-e");
      cmd.add("PATH=" + ImageSettings.DEFAULT_BASE_PATH);
      cmd.add("-e");
      cmd.add("VIRTUAL_ENV=");
    }
    cmd.add("--entrypoint");
    cmd.add("python3");
    cmd.add(imageReference(inv.image()));
    cmd.addAll(inv.scriptArgs(p -> inside(ws, p), NETRC));
    return cmd;
  }

  private static String inside(Workspace ws, Path p) {
    return WORKSPACE + "/" + ws.root().relativize(p).toString().replace('\\', '/');
  }

  /**
   * What the engine runs for {@code image}: a docker-save archive (a {@code --base FILE.tar}, which
   * the assemble step reads as Jib's tar base) through podman's {@code docker-archive:} transport;
   * anything else as it is.
   */
  String imageReference(String image) {
    if (image.endsWith(".tar") && Files.isRegularFile(Path.of(image))) {
      if (!engine.endsWith("podman")) {
        throw BuildException.input(
            "--base "
                + image
                + " is an archive: runner "
                + engine
                + " cannot run one; use --runner podman or host, or '"
                + engine
                + " load' it and give its name");
      }
      return "docker-archive:" + Path.of(image).toAbsolutePath();
    }
    return image;
  }

  @Override
  public void run(VenvInvocation inv, PrintWriter log) {
    if (inv.image() == null) {
      throw new IllegalArgumentException("no image to run the venv step in");
    }
    try {
      Files.createDirectories(inv.workspace().venv());
      Files.createDirectories(inv.workspace().out());
      if (inv.isolated()) {
        Files.createDirectories(inv.workspace().appFiles()); // mounted at /app
      }
    } catch (IOException e) {
      throw BuildException.environment("cannot create the workspace: " + e);
    }
    ProcessRunner.Outcome o;
    try {
      o = ProcessRunner.run(command(inv), env, log, "");
    } catch (IOException e) {
      throw BuildException.environment(
          "runner "
              + engine
              + ": cannot start '"
              + engine
              + "' (is it installed and on PATH?): "
              + e.getMessage());
    }
    if (o.exitCode() >= 125) {
      String why =
          o.tail().stream()
              .filter(l -> l.startsWith("Error") || l.startsWith(engine + ":"))
              .findFirst()
              .orElse(o.reason());
      // the engine's own failure: daemon unreachable, image not pullable, bad mount
      throw BuildException.environment(
          "runner "
              + engine
              + " could not run "
              + inv.image()
              + " (exit "
              + o.exitCode()
              + "): "
              + why);
    }
    ProcessRunner.check(engine, o);
  }
}
