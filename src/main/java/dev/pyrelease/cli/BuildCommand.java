package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.cli.options.HostPythonOption;
import dev.pyrelease.cli.options.InputOptions;
import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.cli.options.RegistryOptions;
import dev.pyrelease.cli.options.ReleaseOptions;
import dev.pyrelease.cli.options.TargetOptions;
import dev.pyrelease.cli.options.WorkspaceOptions;
import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildResult;
import dev.pyrelease.engine.BuildSession;
import dev.pyrelease.engine.BuildSuperseded;
import dev.pyrelease.engine.BuildWorkspace;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.engine.ReleaseCheckout;
import dev.pyrelease.engine.VenvRunner;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.validate.ManifestReader;
import dev.pyrelease.validate.ReleaseValidation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Builds a release image: validates the release, then runs the three steps of the build Job"
          + " on this machine (source, venv, assemble) and pushes the image by digest.",
      "The venv step is skipped when <repository>:deps-<dependency key> exists: then only the"
          + " app layer is built (for a package app, venv.py --app-only runs in that image).",
      "When it is missing only because the base moved to a new digest with the same interpreter"
          + " (same path, version and ABI), the earlier dependency image's distribution layers are"
          + " kept (rebase: no pip, a new venv skeleton, the shared-library check on the new"
          + " base); an interpreter change runs the full venv step and says why.",
      "spec.build.commands run after the venv step, in /app as uid 65532, without network"
          + " (podman/docker: --network none; host: a network namespace of their own); what they"
          + " write under /app is part of the app layer. They run on every build: on an existing"
          + " dependency image, in it.",
      "Stages and Jib progress go to stderr; the result (digest, layers, closure) to stdout.",
      "With --watch a failed build is reported and watching goes on; only usage errors found"
          + " before the first build end the command at once."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:built (and pushed); --watch: stopped with SIGINT/SIGTERM",
      "1:bad input or closure failure: every problem printed, nothing pushed",
      "2:usage error, or the registry, index or runner could not be reached (which and why"
          + " printed); --watch: the source directory is gone"
    })
final class BuildCommand implements Callable<Integer> {
  @Mixin ReleaseOptions release = new ReleaseOptions();

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  TargetOptions target = new TargetOptions();

  @Mixin InputOptions inputs = new InputOptions();

  @Option(
      names = "--runner",
      paramLabel = "podman|docker|host",
      description =
          "Where the venv step runs: in the base image with podman (default) or docker, or with"
              + " this machine's python3 (host: needs root for a private mount namespace in which"
              + " the venv is bind-mounted at /opt/venv, and the base image's own interpreter:"
              + " a CI job running inside the base image).")
  BuildSupport.Runner runner = BuildSupport.Runner.podman;

  @Mixin HostPythonOption hostPython = new HostPythonOption();

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Option(
      names = "--index-credentials",
      paramLabel = "FILE",
      description = "Index credentials, netrc format (mounted read-only into the venv step).")
  Path indexCredentials;

  @Mixin OutputOptions output = new OutputOptions();

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Option(
      names = "--full-venv",
      description =
          "Never rebase: when the dependency image for this base digest is missing, run the full"
              + " venv step (pip) even if an earlier dependency image of the same pins on another"
              + " digest of the base could be kept.")
  boolean fullVenv;

  @Option(
      names = "--watch",
      description =
          "After the build, keep watching --source (recursively; .git/, __pycache__/, *.pyc and"
              + " editor temp files aside) and the manifest, and build again from scratch in this"
              + " process after every change (10 ms without further changes; changes during a"
              + " build cause one build after it, and the build they came during tags nothing)."
              + " Each result or failure is reported as without"
              + " --watch (with --output json: one line per build, JSON Lines) and watching goes"
              + " on. Ends with SIGINT/SIGTERM (exit 0) or when --source is deleted (exit 2).")
  boolean watch;

  private final Map<String, String> env;
  private final CliSettings settings;
  private final PrintWriter out;
  private final PrintWriter err;

  BuildCommand(Map<String, String> env, CliSettings settings, PrintWriter out, PrintWriter err) {
    this.env = Map.copyOf(env);
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (watch) {
      return new BuildWatch(this, out, err).run();
    }
    try (BuildWorkspace ws = openWorkspace()) {
      return release.source() == null ? buildFromGit(ws) : build(ws, release.source(), null, null);
    }
  }

  /**
   * No --source: the release's ref is resolved and its commit checked out into a temporary
   * directory, which is then the source; the build key's source is that commit, as in the build
   * Job. A manifest with problems is reported as always, before anything is fetched.
   */
  private int buildFromGit(BuildWorkspace ws) {
    ReleaseValidation pre = ReleaseValidation.of(release.file(), (Path) null);
    if (pre.manifest() == null || !pre.problems().isEmpty()) {
      return build(ws, null, null, null);
    }
    try (ReleaseCheckout checkout =
        ReleaseCheckout.fetch(
            pre.manifest().release().getSpec().getSource().getGit(),
            ReleaseCheckout.Scope.TREE,
            release.gitCredentials(),
            settings.cacheDir() == null ? null : settings.cacheDir().resolve("git"),
            err)) {
      return build(ws, checkout.root(), checkout.commit(), null);
    } catch (SourceException e) {
      return fail(
          ReleaseCheckout.isBadInput(e)
              ? BuildException.input("source: " + e.getMessage())
              : BuildException.environment(
                  "source: "
                      + e.getMessage()
                      + "; give --source DIR, a checkout, to build without the repository"),
          false);
    } catch (IOException e) {
      return fail(BuildException.environment("cannot create a checkout directory: " + e), false);
    }
  }

  /**
   * A build of a --watch session: what the session's builds share, and the check before tagging.
   */
  record Rebuild(BuildSession session, ManifestReader manifests, BooleanSupplier superseded) {}

  /**
   * One build: validation, the three steps, the result or the failure reported.
   *
   * @param source the checkout: --source, or the release's commit checked out
   * @param commit that commit (the build key's source), or null for --source
   * @param rebuild a build of a --watch session, else null: then JSON is one line, a manifest
   *     without a base image is bad input (fixable by an edit) rather than a usage error, and the
   *     release is tagged only if {@link Rebuild#superseded} answers false
   * @return the exit code a single build ends with
   * @throws BuildSuperseded when {@code superseded} answered true: nothing was tagged
   */
  int build(BuildWorkspace workspaces, Path source, String commit, Rebuild rebuild) {
    long t0 = System.nanoTime();
    boolean watching = rebuild != null;
    ManifestReader manifests = watching ? rebuild.manifests() : ManifestReader.fromGeneratedCrd();
    ReleaseValidation v = ReleaseValidation.of(manifests, release.file(), source);
    Integer invalid =
        ValidationReport.report("build", v, source, output.format(), watching, out, err);
    if (invalid != null) {
      return invalid;
    }
    PythonReleaseSpec spec = v.manifest().release().getSpec();
    try {
      String baseImage = BaseImageRef.choose(spec, inputs.base(), null);
      if (baseImage == null) {
        String why = "no base image: give --base IMAGE or set spec.python.baseImage";
        if (watching) {
          throw BuildException.input(why);
        }
        err.println("pyrelease build: " + why);
        return Exit.USAGE;
      }
      AssembleStep.Output dest = target.output(spec);
      BuildSupport.checkNetrc(indexCredentials);
      Workspace w = new Workspace(workspaces.dir(repositoryName(dest)));
      LocalBuild build =
          (watching ? rebuild.session() : session()).next(err).forceFullVenv(fullVenv);
      VenvRunner venvRunner = BuildSupport.runner(runner, env, registry, hostPython);
      err.println("[build] 1/3 source");
      build.source(
          w,
          new LocalBuild.SourceInputs(
              v.manifest().release().getMetadata().getName(),
              spec,
              v.requirements(),
              source,
              commit,
              inputs.indexUrl(),
              baseImage,
              dest),
          venvRunner.runsImages());
      err.println("[build] 2/3 venv");
      build.venv(w, venvRunner, indexCredentials, venvRunner.runsImages());
      err.println("[build] 3/3 assemble");
      BuildResult result = build.assemble(w, dest, watching ? rebuild.superseded() : () -> false);
      BuildSupport.print(result, output.format(), watching, out);
      err.printf("[build] built %s in %.1fs%n", result.image(), (System.nanoTime() - t0) / 1e9);
      return Exit.OK;
    } catch (BuildException e) {
      return fail(e, watching);
    } catch (IOException e) {
      return fail(BuildException.environment("cannot create a workspace: " + e), watching);
    }
  }

  private static String repositoryName(AssembleStep.Output dest) {
    return dest instanceof AssembleStep.Output.Registry r
        ? r.repository().repositoryName()
        : ((AssembleStep.Output.Tar) dest).name().repositoryName();
  }

  BuildWorkspace openWorkspace() {
    return workspace.open(settings.cacheDir(), err);
  }

  /** See {@link BuildSupport#session}. */
  BuildSession session() {
    return BuildSupport.session(registry, workspace.jibCache(settings.cacheDir()));
  }

  int fail(BuildException e, boolean oneLine) {
    return BuildSupport.fail("build", e, output.format(), oneLine, out, err);
  }
}
