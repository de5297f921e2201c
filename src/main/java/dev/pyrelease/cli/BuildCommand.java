package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
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
import dev.pyrelease.engine.watch.SourceWatcher;
import dev.pyrelease.engine.watch.WatchSession;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.python.Problem;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.validate.ManifestReader;
import dev.pyrelease.validate.ReleaseValidation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "RELEASE.yaml",
      description = "The PythonRelease manifest.")
  Path file;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description =
          "A checkout of the release's repository (spec.source.path is inside it). Without it,"
              + " spec.source.git.ref of spec.source.git.url is resolved to a commit and checked"
              + " out, as the build Job does (the build key and the revision label are the"
              + " commit's).")
  Path source;

  @Option(
      names = "--git-credentials",
      paramLabel = "DIR",
      description =
          "Without --source: a directory with the git credentials as files (username and"
              + " password), as the git Secret is mounted in the build Job.")
  Path gitCredentials;

  /** The commit checked out when --source was not given (the build key's source), else null. */
  private String resolvedCommit;

  static final class Target {
    @Option(
        names = "--to",
        paramLabel = "REPOSITORY",
        description = "Push to this repository (default spec.image.repository).")
    String to;

    @Option(
        names = "--tar",
        paramLabel = "FILE",
        description = "Write a docker-load archive instead of pushing (no dependency image).")
    Path tar;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Target target = new Target();

  @Option(
      names = "--base",
      paramLabel = "IMAGE",
      description =
          "Base image (python3 with pip): a registry reference, or a docker-save .tar (default"
              + " spec.python.baseImage).")
  String base;

  @Option(
      names = "--index-url",
      paramLabel = "URL",
      description = "Use this PEP 503 simple index instead of spec.index.")
  String indexUrl;

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

  @Option(
      names = "--insecure-registry",
      description = "Allow plain HTTP and unverified TLS to registries.")
  boolean insecureRegistry;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "text (default) or json: one JSON document on stdout.")
  BuildSupport.Output output = BuildSupport.Output.text;

  @Option(
      names = "--docker-config",
      paramLabel = "FILE",
      description = "Registry credentials: a docker config.json (auths).")
  Path dockerConfig;

  @Option(
      names = "--index-credentials",
      paramLabel = "FILE",
      description = "Index credentials, netrc format (mounted read-only into the venv step).")
  Path indexCredentials;

  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description =
          "Use this workspace (kept). Default: a per-repository workspace under the cache"
              + " directory (--cache-dir, else PYRELEASE_CACHE_DIR/~/.cache/pyrelease), reused so"
              + " that Jib's layer cache hits for unchanged distributions; a temporary one when"
              + " that is in use or there is no cache directory.")
  Path workspace;

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

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Jib's layer cache (default: <cache dir>/jib, see PYRELEASE_CACHE_DIR).")
  Path cacheDir;

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;

  private final CliSettings settings;

  /** --watch: the manifest reader of the session (the CRD's schema, parsed once). */
  private ManifestReader manifests;

  BuildCommand(Map<String, String> env, CliSettings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (watch) {
      return watch();
    }
    try (BuildWorkspace ws =
        new BuildWorkspace(workspace, BuildSupport.jibCache(cacheDir, settings), err)) {
      return source == null ? buildFromGit(ws) : buildOnce(ws, null, false, () -> false);
    }
  }

  /**
   * No --source: the release's ref is resolved and its commit checked out into a temporary
   * directory, which is then the source; the build key's source is that commit, as in the build
   * Job. A manifest with problems is reported as always, before anything is fetched.
   */
  private int buildFromGit(BuildWorkspace ws) {
    ReleaseValidation pre = ReleaseValidation.of(file, (Path) null);
    if (pre.manifest() == null || !pre.problems().isEmpty()) {
      return buildOnce(ws, null, false, () -> false);
    }
    var spec = pre.manifest().release().getSpec();
    try (ReleaseCheckout checkout =
        ReleaseCheckout.fetch(
            spec.getSource().getGit(),
            ReleaseCheckout.Scope.TREE,
            gitCredentials,
            settings.cacheDir() == null ? null : settings.cacheDir().resolve("git"),
            err)) {
      source = checkout.root();
      resolvedCommit = checkout.commit();
      return buildOnce(ws, null, false, () -> false);
    } catch (SourceException e) {
      return BuildSupport.fail(
          "build",
          ReleaseCheckout.isBadInput(e)
              ? BuildException.input("source: " + e.getMessage())
              : BuildException.environment(
                  "source: "
                      + e.getMessage()
                      + "; give --source DIR, a checkout, to build without the repository"),
          output,
          false,
          out,
          err);
    } catch (IOException e) {
      return BuildSupport.fail(
          "build",
          BuildException.environment("cannot create a checkout directory: " + e),
          output,
          false,
          out,
          err);
    }
  }

  /**
   * One build: validation, the three steps, the result or the failure reported.
   *
   * @param session shared across the builds of a --watch session, else null (a new one)
   * @param watching a --watch build: JSON on one line, and a manifest without a base image is bad
   *     input (fixable by an edit) rather than a usage error
   * @param superseded asked before the release is tagged (see {@link WatchSession.Build#run})
   * @return the exit code a single build ends with
   * @throws BuildSuperseded when {@code superseded} answered true: nothing was tagged
   */
  private int buildOnce(
      BuildWorkspace workspaces,
      BuildSession session,
      boolean watching,
      BooleanSupplier superseded) {
    long t0 = System.nanoTime();
    Validated v =
        validate(
            "build",
            session != null
                ? ReleaseValidation.of(manifests, file, source)
                : ReleaseValidation.of(file, source),
            source,
            output,
            watching,
            out,
            err);
    if (v.exit() != null) {
      return v.exit();
    }
    PythonReleaseSpec spec = v.validation().manifest().release().getSpec();
    try {
      String baseImage = base != null ? base : spec.getPython().getBaseImage();
      if (baseImage == null) {
        String why = "no base image: give --base IMAGE or set spec.python.baseImage";
        if (watching) {
          throw BuildException.input(why);
        }
        err.println("pyrelease build: " + why);
        return Exit.USAGE;
      }
      AssembleStep.Output dest = output(spec, target.to, target.tar);
      BuildSupport.checkNetrc(indexCredentials);
      Path jibCache = BuildSupport.jibCache(cacheDir, settings);
      String repoName =
          dest instanceof AssembleStep.Output.Registry r
              ? r.repository().repositoryName()
              : ((AssembleStep.Output.Tar) dest).name().repositoryName();
      Workspace w = new Workspace(workspaces.dir(repoName));
      LocalBuild build =
          session != null
              ? session.next(err)
              : BuildSupport.localBuild(dockerConfig, insecureRegistry, jibCache, err);
      VenvRunner venvRunner =
          BuildSupport.runner(runner, env, insecureRegistry, dockerConfig, hostPython.path);
      err.println("[build] 1/3 source");
      build.source(
          w,
          new LocalBuild.SourceInputs(
              v.validation().manifest().release().getMetadata().getName(),
              spec,
              v.validation().requirements(),
              source,
              resolvedCommit,
              indexUrl,
              baseImage,
              dest));
      err.println("[build] 2/3 venv");
      build.venv(w, venvRunner, indexCredentials, venvRunner.runsImages());
      err.println("[build] 3/3 assemble");
      BuildResult result = build.assemble(w, dest, superseded);
      BuildSupport.print(result, output, watching, out);
      err.printf("[build] built %s in %.1fs%n", result.image(), (System.nanoTime() - t0) / 1e9);
      return Exit.OK;
    } catch (BuildException e) {
      return BuildSupport.fail("build", e, output, watching, out, err);
    } catch (IOException e) {
      return BuildSupport.fail(
          "build",
          BuildException.environment("cannot create a workspace: " + e),
          output,
          watching,
          out,
          err);
    }
  }

  /** --watch: build, then rebuild on every settled change until stopped. */
  private int watch() {
    if (source == null) {
      err.println("pyrelease build: --watch needs --source DIR, the directory to watch");
      return Exit.USAGE;
    }
    if (!Files.isDirectory(source)) {
      err.println("pyrelease build: --source " + source + " is not a directory");
      return Exit.USAGE;
    }
    manifests = ManifestReader.fromGeneratedCrd();
    BuildSession session;
    try {
      // the files the flags name are checked before the first build, as without --watch; the
      // session's writer and resolver are shared so that they keep what they learnt
      session =
          new BuildSession(
              BuildSupport.credentials(dockerConfig),
              insecureRegistry,
              BuildSupport.jibCache(cacheDir, settings),
              BuildSupport.version());
      BuildSupport.checkNetrc(indexCredentials);
    } catch (BuildException e) {
      return BuildSupport.fail("build", e, output, true, out, err);
    }
    Set<Path> outputs = new HashSet<>();
    if (target.tar != null) {
      outputs.add(target.tar);
    }
    if (workspace != null) {
      outputs.add(workspace);
    }
    WatchSession watching;
    try {
      watching = WatchSession.open(source, file, outputs, out, err);
    } catch (IOException e) {
      err.println("pyrelease build: cannot watch " + source + " and " + file + ": " + e);
      return Exit.USAGE;
    }
    BuildWorkspace workspaces =
        new BuildWorkspace(workspace, BuildSupport.jibCache(cacheDir, settings), err);
    try {
      watching.run(
          new WatchSession.Build() {
            @Override
            public void run(BooleanSupplier superseded) {
              buildOnce(workspaces, session, true, superseded);
            }

            @Override
            public void internalError(RuntimeException e) {
              err.println("pyrelease build: internal error: " + e);
              if (output == BuildSupport.Output.json) {
                out.println(
                    BuildSupport.json(
                        Map.of("error", Map.of("kind", "internal", "message", e.toString())),
                        true));
                out.flush();
              }
            }
          },
          workspaces::close,
          end -> {
            QuickExit.prepare();
            Runtime.getRuntime().halt(end == WatchSession.End.SOURCE_GONE ? Exit.USAGE : Exit.OK);
          });
      return Exit.OK;
    } catch (SourceWatcher.GoneException e) {
      err.println("pyrelease build: " + e.getMessage() + "; stopped watching");
      return Exit.USAGE;
    }
  }

  /** --to / --tar / spec.image.repository as an output. */
  static AssembleStep.Output output(PythonReleaseSpec spec, String to, Path tar) {
    String repo =
        to != null ? to : spec.getImage() == null ? null : spec.getImage().getRepository();
    if (repo == null) {
      throw BuildException.input(
          "no image repository: give --to REPOSITORY or set spec.image.repository");
    }
    if (repo.contains("@") || repo.substring(repo.lastIndexOf('/') + 1).contains(":")) {
      throw BuildException.input(
          "'"
              + repo
              + "' has a tag or digest: give the repository only; images are pushed by digest");
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(repo);
    } catch (IllegalArgumentException e) {
      throw BuildException.input("'" + repo + "' is not an image repository");
    }
    ref = ref.withTag(null);
    return tar != null
        ? new AssembleStep.Output.Tar(tar.toAbsolutePath(), ref)
        : new AssembleStep.Output.Registry(ref);
  }

  record Validated(ReleaseValidation validation, Integer exit) {}

  /** The same validation as {@code check} (without the index); prints every problem. */
  static Validated validate(
      String command,
      Path file,
      Path source,
      BuildSupport.Output output,
      PrintWriter out,
      PrintWriter err) {
    return validate(command, ReleaseValidation.of(file, source), source, output, out, err);
  }

  /** Reports a validation done elsewhere (e.g. of --release-json) as {@code build} does. */
  static Validated validate(
      String command,
      ReleaseValidation v,
      Path source,
      BuildSupport.Output output,
      PrintWriter out,
      PrintWriter err) {
    return validate(command, v, source, output, false, out, err);
  }

  private static Validated validate(
      String command,
      ReleaseValidation v,
      Path source,
      BuildSupport.Output output,
      boolean oneLine,
      PrintWriter out,
      PrintWriter err) {
    if (!v.problems().isEmpty()) {
      List<Problem> problems = v.problems();
      problems.forEach(err::println);
      err.println(
          "pyrelease " + command + ": " + problems.size() + " problem(s) found; nothing was built");
      if (output == BuildSupport.Output.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", Map.of("kind", "input", "message", problems.size() + " problem(s) found"));
        doc.put("problems", problems.stream().map(Problem::toString).toList());
        out.println(BuildSupport.json(doc, oneLine));
        out.flush();
      }
      return new Validated(v, Exit.INPUT);
    }
    if (v.needsSource()) {
      var spec = v.manifest().release().getSpec();
      err.println(
          "pyrelease "
              + command
              + ": spec.requirements.file is '"
              + spec.getRequirements().getFile()
              + "': give --source DIR, a checkout of "
              + spec.getSource().getGit().getUrl());
      return new Validated(v, Exit.USAGE);
    }
    if (source == null) {
      err.println(
          "pyrelease " + command + ": give --source DIR, a checkout of the release's repository");
      return new Validated(v, Exit.USAGE);
    }
    return new Validated(v, null);
  }
}
