package dev.pyrelease.engine;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.image.BaseImage;
import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.ImageWriter;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.release.IndexLocations;
import dev.pyrelease.release.VenvScript;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The three steps on one machine, as {@code pyrelease build} runs them, each also callable alone
 * (the build Job runs them in three containers sharing the workspace).
 */
public final class LocalBuild {
  private final ImageWriter writer;
  private final JibProgress progress;
  private final BaseImageDigest digests;
  private final VenvScript script;
  private final String pyreleaseVersion;
  private final PrintWriter log;
  private boolean forceFullVenv;

  /**
   * @param progress the consumer {@code writer} was created with (or null)
   */
  public LocalBuild(
      ImageWriter writer,
      JibProgress progress,
      BaseImageDigest digests,
      VenvScript script,
      String pyreleaseVersion,
      PrintWriter log) {
    this.writer = writer;
    this.progress = progress;
    this.digests = digests;
    this.script = script;
    this.pyreleaseVersion = pyreleaseVersion;
    this.log = log;
  }

  /**
   * What the source step needs besides the validated release.
   *
   * @param commit the resolved commit the source was checked out at (the build key's source), or
   *     null for a local directory (its tree hash is used)
   */
  public record SourceInputs(
      String releaseName,
      PythonReleaseSpec spec,
      ParsedRequirements requirements,
      Path sourceDir,
      String commit,
      String indexUrl,
      String baseImage,
      AssembleStep.Output output) {}

  /**
   * Never rebase: a build whose dependency image is missing runs the full venv step even when an
   * earlier dependency image of the same pins could be kept ({@code build --full-venv}).
   */
  public LocalBuild forceFullVenv(boolean on) {
    this.forceFullVenv = on;
    return this;
  }

  /** Step 1: plan, workspace, and how much of the venv step must run. */
  public BuildPlan source(Workspace ws, SourceInputs in) {
    return source(ws, in, true);
  }

  /**
   * Step 1, saying whether the venv step can run in the dependency image.
   *
   * @param venvCanRunInDependencyImage false in the build Job: its venv container's image (the
   *     base) is fixed when the Job is created, before this step learns whether the dependency
   *     image exists. Then a package app (or a release with build commands) on an existing
   *     dependency image takes the full venv step in the base image instead of app-only, and the
   *     assemble step puts only the app layer on the dependency image ({@link
   *     VenvStep.Mode#FULL_REUSING}). A plain-files app without build commands on an existing
   *     dependency image still skips the venv step entirely.
   */
  public BuildPlan source(Workspace ws, SourceInputs in, boolean venvCanRunInDependencyImage) {
    long t0 = System.nanoTime();
    IndexLocation index = IndexLocations.of(in.spec().getIndex(), in.indexUrl());
    String sourceId = in.commit() != null ? in.commit() : SourceTree.hash(in.sourceDir());
    String digest = baseDigest(in.baseImage());
    // the build image is resolved as the base is: its digest is what the venv step runs and keys
    String buildImage = dev.pyrelease.release.BaseImageRef.chooseBuild(in.spec(), in.baseImage());
    String buildDigest = buildImage == null ? null : buildImageDigest(buildImage);
    String repository =
        in.output() instanceof AssembleStep.Output.Registry r
            ? r.repository().repositoryName()
            : ((AssembleStep.Output.Tar) in.output()).name().repositoryName();
    BuildPlan plan =
        SourceStep.plan(
            in.releaseName(),
            in.spec(),
            in.requirements(),
            new SourceStep.Inputs(
                sourceId,
                index,
                in.baseImage(),
                digest,
                repository,
                script.builderVersion(pyreleaseVersion),
                buildImage,
                buildDigest));
    int files = SourceStep.prepare(ws, in.sourceDir(), plan, script);
    log.printf(
        "[source] %d files from %s (%s); build key %s; dependency key %s%n",
        files, in.sourceDir(), sourceId, plan.buildKey(), plan.dependencyKey());
    Decision d = decide(ws, plan, in.output(), venvCanRunInDependencyImage);
    writeMode(ws, d.mode());
    log.printf(
        "[source] venv step: %s%s (%.1fs)%n",
        describe(d, plan),
        plan.hasBuildCommands()
            ? "; then " + plan.buildCommands().size() + " build command(s)"
            : "",
        seconds(t0));
    return plan;
  }

  /** Step 2. */
  public void venv(Workspace ws, VenvRunner runner, Path netrc, boolean runsImages) {
    long t0 = System.nanoTime();
    BuildPlan plan = BuildPlan.read(ws.plan());
    VenvStep.Mode mode = readMode(ws);
    if (mode == VenvStep.Mode.APP_ONLY && !runsImages) {
      mode = VenvStep.Mode.FULL_REUSING;
      writeMode(ws, mode);
      log.println(
          "[venv] the "
              + runner.name()
              + " runner cannot enter the dependency image: full venv step");
    }
    if (mode == VenvStep.Mode.NONE) {
      log.println("[venv] skipped: the dependency image exists and the app is plain files");
      return;
    }
    if (mode == VenvStep.Mode.REBASED && runner instanceof HostRunner) {
      // the shared-library check must see the new base's libraries, not this machine's
      mode = VenvStep.Mode.FULL;
      writeMode(ws, mode);
      log.println("[venv] the host runner cannot check the new base's libraries: full venv step");
    }
    if (plan.hasBuildImage() && !runsImages) {
      throw BuildException.input(
          "spec.python.buildImage ("
              + plan.buildImage()
              + "): the "
              + runner.name()
              + " runner runs the venv step on this machine, in no image; use --runner podman or"
              + " docker, or unset spec.python.buildImage");
    }
    if (mode.buildsTheVenv() && runner instanceof HostRunner host) {
      BaseImage base = baseImage(plan.baseImage());
      long c0 = System.nanoTime();
      String python =
          host.requireTheBasesInterpreter(plan.baseImage(), path -> writer.fileSha256(base, path));
      log.printf(
          "[venv] %s is the base image's own interpreter (checked in %.1fs)%n",
          python, seconds(c0));
    }
    String deps = depsImage(plan);
    log.println(
        "[venv] "
            + (mode.buildsTheVenv()
                ? (mode == VenvStep.Mode.REBASED
                        ? "rebasing the venv onto "
                        : "building the venv in ")
                    + (plan.hasBuildImage()
                        ? "the build image " + plan.buildImage() + " for " + plan.baseImage()
                        : plan.baseImage())
                : "installing the app in " + deps)
            + " with "
            + runner.name());
    VenvStep.run(ws, plan, mode, runner, deps, netrc, log);
    log.printf("[venv] done (%.1fs)%n", seconds(t0));
  }

  /** Step 3. */
  public BuildResult assemble(Workspace ws, AssembleStep.Output output) {
    return assemble(ws, output, () -> false);
  }

  /**
   * Step 3, asking {@code superseded} just before the release is tagged.
   *
   * @throws BuildSuperseded when it answered true: the source changed during the build
   */
  public BuildResult assemble(
      Workspace ws, AssembleStep.Output output, BooleanSupplier superseded) {
    long t0 = System.nanoTime();
    BuildPlan plan = BuildPlan.read(ws.plan());
    VenvStep.Mode mode = readMode(ws);
    BuildResult r =
        new AssembleStep(writer, progress, log)
            // pinned: a tag that moves between the source step and this one is not a mixed build
            .run(ws, plan, mode, baseImage(VenvStep.runnableBase(plan)), output, superseded);
    log.printf("[assemble] done (%.1fs)%n", seconds(t0));
    return r;
  }

  /** The base as Jib takes it: a docker-save archive when the reference is an existing file. */
  public static BaseImage baseImage(String reference) {
    Path p = Path.of(reference);
    if (reference.endsWith(".tar") && Files.isRegularFile(p)) {
      return BaseImage.tar(p);
    }
    return BaseImage.registry(reference);
  }

  /** {@link #baseDigest} of {@code spec.python.buildImage}, its failures naming that field. */
  private String buildImageDigest(String reference) {
    try {
      return baseDigest(reference);
    } catch (BuildException e) {
      throw new BuildException(
          e.kind(), "spec.python.buildImage: " + BaseImageDigest.asBuildImage(e.getMessage()), e);
    }
  }

  private String baseDigest(String base) {
    Path p = Path.of(base);
    if (base.endsWith(".tar") && Files.isRegularFile(p)) {
      return BaseImageDigest.ofTar(p);
    }
    return digests.resolve(base);
  }

  /**
   * The venv step's mode, whether the dependency image exists (null: not asked), and for a full or
   * rebased step what the rebase found (null: not looked for).
   */
  private record Decision(
      VenvStep.Mode mode, Boolean dependencyImageExists, Rebase.Candidate rebase) {
    Decision(VenvStep.Mode mode, Boolean dependencyImageExists) {
      this(mode, dependencyImageExists, null);
    }
  }

  /**
   * Why a build without its dependency image is not even looked at for a rebase (null: it is).
   * Build commands and a package app need the venv's distributions in the venv step, which a rebase
   * keeps in the earlier image's layers; a forced full step is asked for.
   */
  private String rebaseRefusal(BuildPlan plan, boolean appIsPackage) {
    if (forceFullVenv) {
      return "--full-venv";
    }
    if (plan.baseImageDigest() == null) {
      return "the base's digest is not known";
    }
    if (baseImage(plan.baseImage()) instanceof BaseImage.Tar) {
      return "the base is a tar file";
    }
    if (plan.hasBuildCommands()) {
      return "the build commands need the venv's distributions";
    }
    if (plan.hasBuildImage()) {
      return "the venv is built in a build image (spec.python.buildImage)";
    }
    if (appIsPackage) {
      return "a package app is installed into the venv's distributions";
    }
    return null;
  }

  private Decision decide(
      Workspace ws, BuildPlan plan, AssembleStep.Output output, boolean runsImages) {
    if (output instanceof AssembleStep.Output.Tar) {
      return new Decision(VenvStep.Mode.FULL, null);
    }
    ImageRef deps = ImageRef.parse(depsImage(plan));
    boolean exists;
    try {
      exists = writer.exists(deps);
    } catch (ImageException e) {
      throw BuildException.environment(e.getMessage(), e);
    }
    boolean pkg = VenvStep.isPackage(ws.src().resolve(plan.appPath()).normalize());
    // the dependency image is the run image with the venv: a package app (perhaps an sdist with
    // an extension) is built in the build image instead, with the venv (FULL_REUSING)
    VenvStep.Mode mode =
        VenvStep.mode(exists, pkg, runsImages && !plan.hasBuildImage(), plan.hasBuildCommands());
    try {
      Files.deleteIfExists(ws.rebaseInput());
    } catch (IOException e) {
      throw BuildException.environment("cannot delete " + ws.rebaseInput() + ": " + e);
    }
    if (mode == VenvStep.Mode.FULL) {
      String why = rebaseRefusal(plan, pkg);
      if (why == null) {
        Rebase.Candidate c;
        try {
          c = Rebase.find(writer, plan);
        } catch (ImageException e) {
          throw BuildException.environment(e.getMessage(), e);
        }
        if (c.from() != null) {
          Rebase.writeInput(ws, c);
          return new Decision(VenvStep.Mode.REBASED, false, c);
        }
        why = c.why();
      }
      return new Decision(mode, exists, new Rebase.Candidate(null, null, null, why));
    }
    if (mode == VenvStep.Mode.APP_ONLY && noDistributions(plan)) {
      // the dependency image's venv has no site-packages (a layer holds files, not empty
      // directories), so venv.py cannot install into it: the venv again in the base image, which
      // has nothing to download
      mode = VenvStep.Mode.FULL_REUSING;
    }
    return new Decision(mode, exists);
  }

  /**
   * Whether no pin of {@code plan} is installed for its interpreter (no requirements, or only lines
   * whose marker is false).
   */
  static boolean noDistributions(BuildPlan plan) {
    TargetPython target = TargetPython.linux(plan.pythonVersion());
    return plan.pins().stream().noneMatch(p -> p.appliesTo(target));
  }

  private static String depsImage(BuildPlan plan) {
    return plan.repository() + ":" + plan.dependencyTag();
  }

  private static String describe(Decision d, BuildPlan plan) {
    return switch (d.mode()) {
      case FULL ->
          d.dependencyImageExists() == null
              ? "full (a tar file holds the whole image)"
              : "full (no "
                  + plan.dependencyTag().substring(0, 17)
                  + "… yet"
                  + (d.rebase() != null && d.rebase().why() != null
                      ? "; no rebase: " + d.rebase().why()
                      : "")
                  + ")";
      case REBASED ->
          "rebase (no "
              + plan.dependencyTag().substring(0, 17)
              + "… yet; "
              + d.rebase().from()
              + " has these pins on the base "
              + shortDigest(d.rebase().previousBase())
              + ": its distribution layers are kept if the interpreter is the same)";
      case APP_ONLY -> "app only, in the existing dependency image";
      case FULL_REUSING ->
          plan.hasBuildImage()
              ? "full in the build image (the dependency image exists, but it is the base with"
                  + " the venv, without the build image's tools), then only the app layer on the"
                  + " dependency image"
              : noDistributions(plan)
                  ? "full in the base image (the dependency image exists, but its venv has no"
                      + " site-packages to install the app into: no pin is installed), then only the"
                      + " app layer on the dependency image"
                  : "full in the base image (the dependency image exists, but the venv step cannot"
                      + " run in it here), then only the app layer on the dependency image";
      case NONE -> "skipped: the dependency image exists, the app is plain files";
    };
  }

  private static String shortDigest(String digest) {
    return digest == null || digest.length() < 19 ? digest : digest.substring(0, 19) + "…";
  }

  static void writeMode(Workspace ws, VenvStep.Mode mode) {
    try {
      Files.writeString(ws.modeFile(), mode.name() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw BuildException.environment("cannot write " + ws.modeFile() + ": " + e);
    }
  }

  static VenvStep.Mode readMode(Workspace ws) {
    try {
      return VenvStep.Mode.valueOf(Files.readString(ws.modeFile(), StandardCharsets.UTF_8).trim());
    } catch (IOException | IllegalArgumentException e) {
      throw BuildException.environment(
          "cannot read " + ws.modeFile() + " (did the source step run in this workspace?): " + e);
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
