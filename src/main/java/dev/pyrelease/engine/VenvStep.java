package dev.pyrelease.engine;

import dev.pyrelease.image.VenvManifest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Step 2: the venv, or as little of it as the dependency image allows.
 *
 * <ul>
 *   <li>{@link Mode#FULL}: no dependency image: venv.py in the base image builds the venv (and
 *       installs the app if it is a package);
 *   <li>{@link Mode#APP_ONLY}: the dependency image exists and the app is a package: venv.py {@code
 *       --app-only} in the dependency image installs only the app;
 *   <li>{@link Mode#NONE}: the dependency image exists and the app is plain files: no Python at
 *       all, the app's files are taken from the source as they are;
 *   <li>{@link Mode#FULL_REUSING}: the dependency image exists, but the venv is needed (a package
 *       app to install, or build commands to run) and the runner cannot enter that image (the host
 *       runner; the build Job, whose venv container runs the base image): venv.py builds the venv
 *       in the base image as for {@link Mode#FULL}, and the release goes on the existing dependency
 *       image as for {@link Mode#APP_ONLY} (its venv layers are neither written nor checked again).
 *   <li>{@link Mode#REBASED}: no dependency image for this base digest, but one of the same pins on
 *       an earlier digest of the base ({@link Rebase}): venv.py in the new base makes only a new
 *       venv skeleton and checks the earlier image's shared objects against the new base's
 *       libraries (no pip), or, when the interpreter differs, runs as for {@link Mode#FULL} and
 *       says why.
 * </ul>
 *
 * <p>A release with build commands needs the venv to run them, so it never gets {@link Mode#NONE}:
 * on an existing dependency image its plain-files app takes {@link Mode#APP_ONLY} (one isolated run
 * in the dependency image: the app's export, then the commands), or {@link Mode#FULL_REUSING} where
 * the runner cannot enter that image (the venv again in the base image, then the commands in a
 * second, isolated run).
 */
public final class VenvStep {
  /** How much of the venv step runs (venv.py reads it: APP_ONLY, NONE, anything else is full). */
  public enum Mode {
    FULL,
    APP_ONLY,
    NONE,
    FULL_REUSING,
    REBASED;

    /** venv.py builds the venv in the base image (for REBASED: its skeleton, or all of it). */
    public boolean buildsTheVenv() {
      return this == FULL || this == FULL_REUSING || this == REBASED;
    }
  }

  private VenvStep() {}

  /** Whether the app directory is a Python package (pyproject.toml or setup.py). */
  public static boolean isPackage(Path appDir) {
    return Files.isRegularFile(appDir.resolve("pyproject.toml"))
        || Files.isRegularFile(appDir.resolve("setup.py"));
  }

  /**
   * @param runnerRunsImages false for the host runner and the build Job, which cannot enter the
   *     dependency image: a package app then takes {@link Mode#FULL_REUSING}
   */
  public static Mode mode(
      boolean dependencyImageExists, boolean appIsPackage, boolean runnerRunsImages) {
    return mode(dependencyImageExists, appIsPackage, runnerRunsImages, false);
  }

  /**
   * @param buildCommands the release has build commands: they need the venv, so never {@link
   *     Mode#NONE}
   */
  public static Mode mode(
      boolean dependencyImageExists,
      boolean appIsPackage,
      boolean runnerRunsImages,
      boolean buildCommands) {
    if (!dependencyImageExists) {
      return Mode.FULL;
    }
    if (!appIsPackage && !buildCommands) {
      return Mode.NONE;
    }
    return runnerRunsImages ? Mode.APP_ONLY : Mode.FULL_REUSING;
  }

  /**
   * Runs the step. For {@link Mode#NONE} nothing runs; {@link #plainAppManifest} describes the app.
   *
   * @param dependencyImage the dependency image reference (for APP_ONLY)
   * @param netrc index credentials file, or null
   */
  public static void run(
      Workspace ws,
      BuildPlan plan,
      Mode mode,
      VenvRunner runner,
      String dependencyImage,
      Path netrc,
      PrintWriter log) {
    if (mode == Mode.NONE) {
      if (plan.hasBuildCommands()) {
        throw new IllegalStateException("build commands need the venv: mode NONE");
      }
      return;
    }
    Workspace.deleteTree(ws.out());
    boolean appOnly = mode == Mode.APP_ONLY; // else the venv is built in the base image
    int commands = plan.buildCommands().size();
    // a build image builds the venv for the run image (the base): the base's interpreter first,
    // which the venv step compares its own with before pip runs
    boolean inBuildImage = plan.hasBuildImage() && !appOnly;
    if (inBuildImage) {
      log.println(
          "[venv] the run image's interpreter, in "
              + runnableBase(plan)
              + " (the venv is built in the build image "
              + runnableBuildImage(plan)
              + ")");
      run(
          runner,
          VenvInvocation.check(ws, runnableBase(plan), VenvInvocation.Task.PROBE_INTERPRETER),
          log);
    }
    VenvInvocation inv =
        new VenvInvocation(
            ws,
            appOnly ? dependencyImage : runnableBuildImage(plan),
            appOnly,
            plan.appPath(),
            plan.indexUrl(),
            plan.findLinks(),
            plan.requireHashes(),
            plan.pythonVersion(),
            // a plain-files app's export needs no index: no credentials next to the commands
            appOnly && commands > 0 ? null : netrc,
            appOnly && commands > 0
                ? VenvInvocation.Commands.AFTER_APP
                : VenvInvocation.Commands.NONE,
            mode == Mode.REBASED,
            VenvInvocation.Task.VENV,
            inBuildImage ? runnableBase(plan) : null);
    if (inv.runsCommands()) {
      log.println(
          "[venv] the app's files and "
              + commands
              + " build command(s) in "
              + dependencyImage
              + " with "
              + runner.name()
              + ", no network");
    }
    long t0 = System.nanoTime();
    run(runner, inv, log);
    if (!Files.isRegularFile(ws.manifest())) {
      throw BuildException.environment(
          "venv step: " + runner.name() + " finished but wrote no " + ws.manifest());
    }
    if (inBuildImage) {
      // the closure check's shared libraries are the image that ships, not the build image's
      log.println("[venv] shared libraries of the venv, in the run image " + runnableBase(plan));
      run(
          runner,
          VenvInvocation.check(ws, runnableBase(plan), VenvInvocation.Task.CHECK_LIBRARIES),
          log);
    }
    if (commands > 0 && !appOnly) {
      log.println(
          "[venv] "
              + commands
              + " build command(s) with "
              + runner.name()
              + (runner.runsImages() ? " in " + runnableBase(plan) : "")
              + " and the venv read-only, no network");
      t0 = System.nanoTime();
      run(runner, VenvInvocation.commandsOnly(ws, runnableBase(plan)), log);
    }
    if (commands > 0) {
      log.printf(
          java.util.Locale.ROOT,
          "[venv] build commands done (%.1fs)%n",
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Runs {@code inv}; when a build command failed, the error names it and ends with its last output
   * lines (venv.py's termination log: those lines, then {@code venv: error: ...}).
   */
  private static void run(VenvRunner runner, VenvInvocation inv, PrintWriter log) {
    Workspace ws = inv.workspace();
    try {
      Files.deleteIfExists(ws.commandsError());
    } catch (java.io.IOException e) {
      throw BuildException.environment("cannot delete " + ws.commandsError() + ": " + e);
    }
    try {
      runner.run(inv, log);
    } catch (BuildException e) {
      String written = inv.runsCommands() ? commandsError(ws) : null;
      if (written == null) {
        throw e;
      }
      throw new BuildException(e.kind(), written, e);
    }
  }

  /**
   * What venv.py wrote about a failure of a run with build commands, as one message: its error
   * first, then the command's last output lines; null when it wrote nothing.
   */
  static String commandsError(Workspace ws) {
    String text;
    try {
      text = Files.readString(ws.commandsError(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return null;
    }
    List<String> lines = text.stripTrailing().lines().dropWhile(String::isBlank).toList();
    if (lines.isEmpty()) {
      return null;
    }
    String error = lines.get(lines.size() - 1);
    error = error.startsWith("venv: error: ") ? error.substring("venv: error: ".length()) : error;
    List<String> output = lines.subList(0, lines.size() - 1);
    return output.isEmpty()
        ? error
        : error + "; its last output lines:\n" + String.join("\n", output);
  }

  /** The manifest of a plain-files app taken straight from the source (mode NONE). */
  public static VenvManifest plainAppManifest(Workspace ws, BuildPlan plan) {
    Path app = ws.src().resolve(plan.appPath()).normalize();
    List<String> files = SourceTree.files(app);
    return new VenvManifest(
        null,
        Workspace.VENV_PATH,
        List.of(),
        new VenvManifest.App("files", "/app", files, null, null, null, null, null),
        List.of(),
        List.of());
  }

  /**
   * The image the venv step builds the venv in: the build image pinned to the digest the plan
   * keyed, or the base ({@link #runnableBase}) when the release names none.
   */
  static String runnableBuildImage(BuildPlan plan) {
    return plan.hasBuildImage()
        ? new dev.pyrelease.release.BaseImageRef(plan.buildImage(), plan.buildImageDigest())
            .pinned()
        : runnableBase(plan);
  }

  /**
   * The base as the runner runs it: pinned to the digest the plan keyed, so podman or docker never
   * use a stale local copy of a tag that has moved in the registry (they run what they have under a
   * tag). A docker-save archive is run as given.
   */
  static String runnableBase(BuildPlan plan) {
    String base = plan.baseImage();
    if (base.endsWith(".tar") && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(base))) {
      return base;
    }
    return new dev.pyrelease.release.BaseImageRef(base, plan.baseImageDigest()).pinned();
  }
}
