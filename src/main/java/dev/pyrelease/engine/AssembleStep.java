package dev.pyrelease.engine;

import dev.pyrelease.http.Digests;
import dev.pyrelease.image.BaseImage;
import dev.pyrelease.image.BaseImageNotFoundException;
import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.ImageResult;
import dev.pyrelease.image.ImageSettings;
import dev.pyrelease.image.ImageTarget;
import dev.pyrelease.image.ImageWriter;
import dev.pyrelease.image.LayerPlan;
import dev.pyrelease.image.LayerPolicy;
import dev.pyrelease.image.PlannedLayer;
import dev.pyrelease.image.RegistryUnauthorizedException;
import dev.pyrelease.image.RegistryUnreachableException;
import dev.pyrelease.image.Sbom;
import dev.pyrelease.image.SbomLayers;
import dev.pyrelease.image.SupersededException;
import dev.pyrelease.image.VenvManifest;
import dev.pyrelease.index.IndexConfig;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Step 3: closure check, layer plan, push. Nothing is pushed before the closure check passed.
 *
 * <p>To a registry, a full build pushes the dependency image ({@code <repo>:deps-<key>}: base +
 * venv layers) and then the release on it (the app layer only); a build whose dependency image
 * exists pushes the app layer only (also after a venv step made the venv again in the base image,
 * {@link VenvStep.Mode#FULL_REUSING}: the venv was for the app's install or the build commands).
 * Either way the release image has the same layers and config, so an unchanged build gives the same
 * digest. The release is pushed under one immutable tag, {@code build-<build key>}, which Jib
 * writes in the manifest PUT after every blob is in the registry: no tag ever names a half-pushed
 * image, and no moving tag (latest) is written.
 *
 * <p>To a tar file, the base, venv and app layers are written in one go (no dependency image).
 */
public final class AssembleStep {
  /** Where the release goes. */
  public sealed interface Output {
    /** Push to this repository (no tag). */
    record Registry(ImageRef repository) implements Output {}

    /** Write a docker-load archive naming the image {@code name}. */
    record Tar(Path file, ImageRef name) implements Output {}
  }

  private final ImageWriter writer;
  private final JibProgress progress;
  private final PrintWriter log;

  /**
   * @param progress the consumer {@code writer} reports to; its record of blobs the registry
   *     already had corrects the layer table (null: take the writer's flags as they are)
   */
  public AssembleStep(ImageWriter writer, JibProgress progress, PrintWriter log) {
    this.writer = writer;
    this.progress = progress;
    this.log = log;
  }

  /**
   * The release's index as the plan names it (no credentials: a missing distribution is looked up
   * there to say whether it exists; an index that needs credentials says it could not be read).
   */
  static PackageIndex closureIndex(BuildPlan plan) {
    IndexLocation location =
        plan.indexUrl() != null
            ? IndexLocation.simple(plan.indexUrl())
            : plan.findLinks().isEmpty() ? null : IndexLocation.findLinks(plan.findLinks());
    return location == null ? null : PackageIndex.open(location, IndexConfig.defaults());
  }

  /** The release's tag: {@code build-<build key>}. */
  public static String releaseTag(String buildKey) {
    return "build-" + buildKey;
  }

  public BuildResult run(
      Workspace ws, BuildPlan plan, VenvStep.Mode mode, BaseImage base, Output output) {
    return run(ws, plan, mode, base, output, () -> false);
  }

  /**
   * @param superseded asked just before the release is tagged: true when the source changed since
   *     the build began (a {@code build --watch}), and then nothing is tagged
   * @throws BuildSuperseded when {@code superseded} answered true
   */
  public BuildResult run(
      Workspace ws,
      BuildPlan plan,
      VenvStep.Mode mode,
      BaseImage base,
      Output output,
      BooleanSupplier superseded) {
    try {
      return assemble(ws, plan, mode, base, output, superseded);
    } catch (SupersededException e) {
      throw new BuildSuperseded(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BuildException.environment("interrupted");
    } catch (RegistryUnreachableException | RegistryUnauthorizedException e) {
      throw BuildException.environment(e.getMessage(), e);
    } catch (BaseImageNotFoundException e) {
      throw BuildException.input(e.getMessage());
    } catch (ImageException e) {
      throw BuildException.environment(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw BuildException.environment("assemble: " + e.getMessage(), e);
    }
  }

  private BuildResult assemble(
      Workspace ws,
      BuildPlan plan,
      VenvStep.Mode mode,
      BaseImage base,
      Output output,
      BooleanSupplier superseded)
      throws ImageException, InterruptedException {
    VenvManifest manifest =
        mode == VenvStep.Mode.NONE
            ? VenvStep.plainAppManifest(ws, plan)
            : VenvManifest.read(ws.manifest());
    BuildResult.Closure closure;
    List<BuildResult.Distribution> distributions;
    String venvReason = null;
    Rebase.Outcome rebase = mode == VenvStep.Mode.REBASED ? Rebase.outcome(ws.manifest()) : null;
    if (rebase != null && rebase.from() == null) {
      venvReason =
          "no rebase: "
              + (rebase.refused() != null ? rebase.refused() : "the venv step did not rebase");
      log.println("[assemble] " + venvReason + "; the venv was built in full");
      mode = VenvStep.Mode.FULL;
      LocalBuild.writeMode(ws, mode);
    }
    boolean full = mode == VenvStep.Mode.FULL;
    boolean rebased = mode == VenvStep.Mode.REBASED;
    boolean packageApp = manifest.app() != null && manifest.app().isPackage();
    if (rebased) {
      // the pins and their closure are the earlier dependency image's, checked when it was
      // pushed; what the new base can break is the shared libraries its objects need
      log.println(
          "[assemble] rebase of "
              + rebase.from()
              + ": shared libraries of "
              + manifest.distributions().size()
              + " kept distributions checked on the new base");
      List<ClosureProblem> problems = InstalledClosure.sharedLibraries(manifest);
      List<String> messages = problems.stream().map(ClosureProblem::message).toList();
      closure = new BuildResult.Closure(problems.isEmpty(), messages);
      if (!problems.isEmpty()) {
        messages.forEach(m -> log.println("[assemble] closure: " + m));
        if (plan.closureCheck()) {
          throw BuildException.closure(messages);
        }
        log.println("[assemble] closure check disabled (spec.requirements.closureCheck: false)");
      }
    } else if (full || packageApp) {
      // full: every installed distribution; on an existing dependency image (its pins passed
      // when it was pushed, and its key covers every pin) a package app's own dependencies,
      // which can change without the dependency key
      log.println(
          full
              ? "[assemble] closure check of "
                  + manifest.distributions().size()
                  + " installed distributions"
                  + (packageApp ? " and the app's own dependencies" : "")
              : "[assemble] closure check of the app's own dependencies against the pins");
      List<ClosureProblem> problems;
      try (PackageIndex index = closureIndex(plan)) {
        problems = InstalledClosure.check(manifest, ws.venv(), ws.appFiles(), plan, full, index);
      }
      List<ClosureProblem> failing = ClosureProblem.failing(problems);
      List<String> messages = failing.stream().map(ClosureProblem::message).toList();
      closure =
          new BuildResult.Closure(
              failing.isEmpty(),
              messages,
              problems.stream()
                  .filter(ClosureProblem::ignored)
                  .map(ClosureProblem::describe)
                  .toList());
      problems.stream()
          .filter(ClosureProblem::ignored)
          .forEach(p -> log.println("[assemble] closure (ignored): " + p.describe()));
      if (!failing.isEmpty()) {
        messages.forEach(m -> log.println("[assemble] closure: " + m));
        if (plan.closureCheck()) {
          throw BuildException.closure(messages);
        }
        log.println("[assemble] closure check disabled (spec.requirements.closureCheck: false)");
      }
    } else {
      // the dependency image was pushed only after its closure check passed, and its key
      // covers every pin: the same pins give the same verdict
      closure = new BuildResult.Closure(true, List.of());
    }
    distributions =
        full
            ? manifest.distributions().stream()
                .map(d -> new BuildResult.Distribution(d.name(), d.version(), d.sha256()))
                .toList()
            : distributionsFromPins(plan);

    if (mode != VenvStep.Mode.NONE) {
      // Jib's layer cache is keyed on path and mtime: content-derived mtimes let the layers of
      // unchanged distributions hit it, and changed files miss it
      // (venv.py does it on its side, where hashing is cheaper; trees it did are not redone)
      // (the venv only when its layers are written: after app-only the workspace's venv/ is an
      // earlier build's, and hashing it cost an app-only build of a Django app 1.5 s)
      if (mode == VenvStep.Mode.FULL && !manifest.contentMtimes().contains("venv")) {
        WorkspaceLock.contentMtimes(ws.venv());
      }
      if (!manifest.contentMtimes().contains("app-files")) {
        WorkspaceLock.contentMtimes(ws.appFiles());
      }
    }
    Path appDir =
        mode == VenvStep.Mode.NONE ? ws.src().resolve(plan.appPath()).normalize() : ws.appFiles();
    PlannedLayer app = manifest.app() == null ? null : LayerPlan.forApp(manifest, appDir, null);
    ImageSettings settings = releaseSettings(plan, manifest);

    List<BuildResult.Layer> layers = new ArrayList<>();
    byte[] sbomFile = null; // the image's SBOM, pushed beside it
    String artifact = null;
    ImageResult release;
    String dependencyImage = null;
    if (output instanceof Output.Tar tar) {
      if (mode != VenvStep.Mode.FULL) {
        throw new IllegalStateException("a tar build always runs the full venv step");
      }
      SbomLayers venv = venvLayers(ws, plan, manifest);
      sbomFile = readSbom(venv);
      List<PlannedLayer> all = new ArrayList<>(venv.plan().layers());
      if (app != null) {
        all.add(app);
      }
      log.println("[assemble] writing " + tar.file());
      release = writer.write(base, all, settings, ImageTarget.tar(tar.file(), tar.name()));
      venv.checkPushed(release.layers());
      release.layers().forEach(l -> layers.add(layer(l)));
    } else {
      ImageRef repo = ((Output.Registry) output).repository();
      ImageRef deps = ImageWriter.dependencyImage(repo, plan.dependencyKey());
      dependencyImage = deps.toString();
      List<String> lineage =
          base instanceof BaseImage.Registry ? List.of(Rebase.tag(plan)) : List.of();
      if (mode == VenvStep.Mode.FULL) {
        log.println("[assemble] pushing the dependency image " + deps);
        SbomLayers venv = venvLayers(ws, plan, manifest);
        sbomFile = readSbom(venv);
        ImageResult depsResult =
            writer.writeDependencyImage(
                base,
                venv.plan(),
                ImageSettings.builder().baseDigest(plan.baseImageDigest()).build(),
                repo,
                plan.dependencyKey(),
                lineage);
        venv.checkPushed(depsResult.layers());
        depsResult.layers().forEach(l -> layers.add(layer(l)));
      } else if (rebased) {
        log.println(
            "[assemble] pushing the dependency image "
                + deps
                + ": the new base, a new venv skeleton, and the distribution layers of "
                + rebase.from());
        PlannedLayer skeleton =
            LayerPlan.forVenv(manifest, ws.venv(), Workspace.VENV_PATH, LayerPolicy.DEFAULT)
                .layer(LayerPlan.SKELETON)
                .orElseThrow(() -> BuildException.environment("rebase: the venv has no skeleton"));
        ImageRef previous = ImageRef.parse(rebase.from());
        PlannedLayer sbomLayer = rebasedSbom(ws, plan, previous);
        if (sbomLayer != null) {
          sbomFile =
              readFile(
                  sbomLayer.files().stream()
                      .filter(f -> f.target().endsWith("/" + Sbom.FILE_NAME))
                      .findFirst()
                      .orElseThrow()
                      .source());
        }
        ImageResult depsResult =
            writer.rebaseDependencyImage(
                previous,
                ImageRef.parse(VenvStep.runnableBase(plan)),
                skeleton,
                sbomLayer,
                ImageSettings.builder().baseDigest(plan.baseImageDigest()).build(),
                repo,
                plan.dependencyKey(),
                lineage);
        depsResult.layers().forEach(l -> layers.add(layer(l)));
        distributions = distributionsOf(deps, distributions);
      } else {
        log.println("[assemble] " + deps + " exists: reusing its venv layers");
        sbomFile = writer.sbomFileOf(deps).orElse(null);
        // the wheel hashes of what is installed, as the build that pushed it reported them
        distributions =
            writer
                .sbomOf(deps)
                .map(
                    sbom ->
                        sbom.distributions().stream()
                            .map(
                                d ->
                                    new BuildResult.Distribution(d.name(), d.version(), d.sha256()))
                            .toList())
                .orElse(distributions);
      }
      ImageRef target = repo.withTag(releaseTag(plan.buildKey()));
      log.println(
          "[assemble] pushing the release "
              + target.repositoryName()
              + " (app layer on "
              + deps.tag()
              + ")");
      release =
          writer.writeOnDependencyImage(
              deps,
              app == null ? new PlannedLayer(LayerPlan.APP, List.of()) : app,
              settings,
              ImageTarget.registry(target),
              superseded);
      release.layers().forEach(l -> layers.add(layer(l)));
      if (sbomFile != null) {
        ImageRef pushed = writer.pushSbom(repo.withDigest(release.digest()), sbomFile);
        artifact = pushed.toString();
        log.println("[assemble] pushed the SBOM beside the release as " + artifact);
      }
    }
    BuildResult.SbomFile sbom =
        sbomFile == null
            ? null
            : new BuildResult.SbomFile(
                Workspace.VENV_PATH + "/" + Sbom.FILE_NAME, Sbom.MEDIA_TYPE, artifact);
    return new BuildResult(
        release.image(),
        release.digest(),
        plan.buildKey(),
        plan.dependencyKey(),
        dependencyImage,
        switch (mode) {
          case FULL, FULL_REUSING -> "full";
          case APP_ONLY -> "app-only";
          case NONE -> "skipped";
          case REBASED -> "rebased";
        },
        venvReason,
        base instanceof BaseImage.Registry r ? r.ref().toString() : base.toString(),
        release.tags(),
        layers,
        distributions,
        closure,
        sbom);
  }

  /** The venv layers and the SBOM layer naming them (written in the workspace's out/). */
  private SbomLayers venvLayers(Workspace ws, BuildPlan plan, VenvManifest manifest) {
    long start = System.nanoTime();
    SbomLayers s =
        SbomLayers.of(
            LayerPlan.forVenv(manifest, ws.venv(), Workspace.VENV_PATH, LayerPolicy.DEFAULT),
            manifest,
            new Sbom.Base(plan.baseImage(), plan.baseImageDigest()),
            // the rebase record beside the SBOM: what a later build on a patched base needs to
            // keep these layers (older venv scripts wrote none)
            Files.isRegularFile(ws.rebaseRecord()) ? ws.rebaseRecord() : null,
            Workspace.VENV_PATH,
            ws.out());
    log.printf(
        "[assemble] SBOM of %d distributions (%s; layer digests in %d ms)%n",
        s.sbom().distributions().size(),
        Workspace.VENV_PATH + "/" + Sbom.FILE_NAME,
        (System.nanoTime() - start) / 1_000_000);
    return s;
  }

  private static byte[] readSbom(SbomLayers venv) {
    return readFile(venv.sbomFile());
  }

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The SBOM layer of a dependency image rebased from {@code previous}: its SBOM with the new base
   * (the kept distribution layers are the same blobs, so their digests stand), and its rebase
   * record as it was. Null when {@code previous} has no CycloneDX SBOM (its layer is kept).
   */
  private PlannedLayer rebasedSbom(Workspace ws, BuildPlan plan, ImageRef previous)
      throws ImageException {
    Sbom old = writer.sbomOf(previous).orElse(null);
    if (old == null) {
      return null;
    }
    Path dir = ws.out().resolve("rebased-sbom");
    Path file =
        new Sbom(
                old.python(),
                new Sbom.Base(plan.baseImage(), plan.baseImageDigest()),
                old.distributions())
            .writeTo(dir);
    String recordName = ws.rebaseRecord().getFileName().toString();
    Path record = null;
    var bytes = writer.venvRecordFile(previous, recordName);
    if (bytes.isPresent()) {
      try {
        record = Files.write(dir.resolve(recordName), bytes.get());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir.resolve(recordName), e);
      }
    }
    return new LayerPlan(List.of())
        .withSbom(file, record, Workspace.VENV_PATH)
        .layer(LayerPlan.SBOM)
        .orElseThrow();
  }

  /** The wheel hashes of what a dependency image has installed, as its SBOM says. */
  private List<BuildResult.Distribution> distributionsOf(
      ImageRef deps, List<BuildResult.Distribution> otherwise) throws ImageException {
    return writer
        .sbomOf(deps)
        .map(
            sbom ->
                sbom.distributions().stream()
                    .map(d -> new BuildResult.Distribution(d.name(), d.version(), d.sha256()))
                    .toList())
        .orElse(otherwise);
  }

  static ImageSettings releaseSettings(BuildPlan plan, VenvManifest manifest) {
    ImageSettings.Builder b =
        ImageSettings.builder()
            .command(plan.command())
            .workingDirectory(
                ImageSettings.workingDirectoryFor(manifest.app(), Workspace.VENV_PATH))
            .buildKey(plan.buildKey())
            // a release on its dependency image inherits this label; set it here too so that a
            // --tar build (venv layers and app in one image) has the same config, and digest
            .dependencyKey(plan.dependencyKey())
            .baseDigest(plan.baseImageDigest())
            .source(plan.sourceUrl())
            .revision(plan.source())
            .requirementsSha256(Digests.sha256(String.join("\n", plan.requirements()) + "\n"));
    if (plan.port() > 0) {
      b.port(plan.port());
    }
    return b.build();
  }

  static List<BuildResult.Distribution> distributionsFromPins(BuildPlan plan) {
    List<BuildResult.Distribution> out = new ArrayList<>();
    for (String line : plan.requirements()) {
      String[] parts = line.split(" --hash=");
      String req = parts[0];
      int eq = req.indexOf("==");
      int end = req.indexOf(';');
      String name = req.substring(0, eq).replaceAll("\\[.*\\]", "");
      String version = (end < 0 ? req.substring(eq + 2) : req.substring(eq + 2, end)).trim();
      String sha = null;
      if (parts.length == 2 && parts[1].startsWith("sha256:")) {
        sha = parts[1].substring("sha256:".length()).split(" ")[0];
      }
      out.add(new BuildResult.Distribution(name, version, sha));
    }
    return out;
  }

  private BuildResult.Layer layer(ImageResult.LayerResult l) {
    boolean uploaded = l.uploaded() && (progress == null || !progress.wasSkipped(l.digest()));
    return new BuildResult.Layer(l.name(), l.digest(), l.sizeBytes(), uploaded);
  }
}
