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
 *       all, the app's files are taken from the source as they are.
 * </ul>
 */
public final class VenvStep {
  /** How much of the venv step runs. */
  public enum Mode {
    FULL,
    APP_ONLY,
    NONE
  }

  private VenvStep() {}

  /** Whether the app directory is a Python package (pyproject.toml or setup.py). */
  public static boolean isPackage(Path appDir) {
    return Files.isRegularFile(appDir.resolve("pyproject.toml"))
        || Files.isRegularFile(appDir.resolve("setup.py"));
  }

  /**
   * @param runnerRunsImages false for the host runner, which cannot enter the dependency image: a
   *     package app then takes the full step (the venv layers come out identical, so they are not
   *     uploaded again)
   */
  public static Mode mode(
      boolean dependencyImageExists, boolean appIsPackage, boolean runnerRunsImages) {
    if (!dependencyImageExists) {
      return Mode.FULL;
    }
    if (!appIsPackage) {
      return Mode.NONE;
    }
    return runnerRunsImages ? Mode.APP_ONLY : Mode.FULL;
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
      return;
    }
    Workspace.deleteTree(ws.out());
    VenvInvocation inv =
        new VenvInvocation(
            ws,
            mode == Mode.APP_ONLY ? dependencyImage : plan.baseImage(),
            mode == Mode.APP_ONLY,
            plan.appPath(),
            plan.indexUrl(),
            plan.findLinks(),
            plan.requireHashes(),
            plan.pythonVersion(),
            netrc);
    runner.run(inv, log);
    if (!Files.isRegularFile(ws.manifest())) {
      throw BuildException.environment(
          "venv step: " + runner.name() + " finished but wrote no " + ws.manifest());
    }
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
}
