package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.buildjob.SourceArgs;
import dev.pyrelease.buildjob.StepError;
import dev.pyrelease.buildjob.StepOptions;
import dev.pyrelease.cli.options.InputOptions;
import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.cli.options.RegistryOptions;
import dev.pyrelease.cli.options.TargetOptions;
import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildPlan;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.engine.ReleaseCheckout;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.source.jgit.JGitResolver;
import dev.pyrelease.validate.ReleaseValidation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = SourceArgs.STEP,
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build step 1 of 3: validates the release, copies the source into WORKSPACE/src (or first"
          + " checks out --commit of --git-url into --source), writes venv.py, the normalised"
          + " requirements and plan.json (keys), and decides whether the venv step must run (it"
          + " does not when <repository>:deps-<key> exists): WORKSPACE/venv-mode.",
      "Prints the keys (JSON) on stdout."
    })
final class SourceCommand implements Callable<Integer> {
  static final class Release {
    @Option(
        names = {"-f", "--file"},
        paramLabel = "RELEASE.yaml")
    Path file;

    @Option(
        names = StepOptions.RELEASE_JSON,
        paramLabel = "JSON",
        description = "The release itself (apiVersion, kind, metadata, spec) as JSON.")
    String json;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Release release;

  @Option(
      names = StepOptions.SOURCE,
      required = true,
      paramLabel = "DIR",
      description = "The checkout (with --git-url/--commit: where to check it out).")
  Path source;

  @Option(
      names = StepOptions.GIT_URL,
      paramLabel = "URL",
      description = "Check out this repository...")
  String gitUrl;

  @Option(names = StepOptions.COMMIT, paramLabel = "SHA", description = "...at this commit.")
  String commit;

  @Option(
      names = StepOptions.GIT_CREDENTIALS,
      paramLabel = "DIR",
      description =
          "A mounted git Secret: username/password, or ssh-privatekey and known_hosts files.")
  Path gitCredentials;

  @Option(names = StepOptions.WORKSPACE, required = true, paramLabel = "DIR")
  Path workspace;

  @Option(
      names = StepOptions.TERMINATION_LOG,
      paramLabel = "FILE",
      description =
          "When the step fails, also write its error here (the build Job's /dev/termination-log:"
              + " the operator's Built condition shows it).")
  Path terminationLog;

  @Option(names = StepOptions.TO, paramLabel = "REPOSITORY")
  String to;

  @Option(names = StepOptions.TAR, paramLabel = "FILE", description = "The build will write a tar.")
  Path tar;

  @Mixin InputOptions inputs = new InputOptions();

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Option(
      names = StepOptions.VENV_IN_BASE_IMAGE,
      description =
          "The venv step runs in the base image, whatever this step decides (the build Job):"
              + " never app-only; a package app (or build commands) on an existing dependency"
              + " image gets the full venv step in the base image, and only the app layer goes on"
              + " the dependency image.")
  boolean venvInBaseImage;

  private final PrintWriter out;
  private final PrintWriter err;

  SourceCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if ((gitUrl == null) != (commit == null)) {
      err.println(
          "pyrelease "
              + SourceArgs.STEP
              + ": "
              + StepOptions.GIT_URL
              + " and "
              + StepOptions.COMMIT
              + " go together");
      return Exit.USAGE;
    }
    Workspace ws = new Workspace(workspace);
    if (gitUrl != null) {
      try (GitResolver git = new JGitResolver(ws.root().resolve(".git-cache"))) {
        err.println("[source] checking out " + commit + " of " + gitUrl);
        git.checkout(gitUrl, commit, source, GitCredentials.fromDirectory(gitCredentials));
      } catch (SourceException e) {
        BuildException failed =
            ReleaseCheckout.isBadInput(e)
                ? BuildException.input(e.getMessage())
                : BuildException.environment(e.getMessage());
        return fail(failed);
      }
    }
    ReleaseValidation validation =
        release.json != null
            ? ReleaseValidation.ofText(StepOptions.RELEASE_JSON, release.json, source)
            : ReleaseValidation.of(release.file, source);
    Integer invalid =
        ValidationReport.report(
            SourceArgs.STEP, validation, source, OutputOptions.Format.text, false, out, err);
    if (invalid != null) {
      return invalid;
    }
    PythonReleaseSpec spec = validation.manifest().release().getSpec();
    try {
      String baseImage = BaseImageRef.choose(spec, inputs.base(), null);
      if (baseImage == null) {
        err.println(
            "pyrelease "
                + SourceArgs.STEP
                + ": no base image: give "
                + StepOptions.BASE
                + " IMAGE or set spec.python.baseImage");
        return Exit.USAGE;
      }
      AssembleStep.Output dest = TargetOptions.output(spec, to, tar);
      LocalBuild build = BuildSupport.session(registry, null).next(err);
      BuildPlan plan =
          build.source(
              ws,
              new LocalBuild.SourceInputs(
                  validation.manifest().release().getMetadata().getName(),
                  spec,
                  validation.requirements(),
                  source,
                  commit,
                  inputs.indexUrl(),
                  baseImage,
                  dest),
              !venvInBaseImage);
      out.println(
          BuildSupport.json(
              Map.of(
                  "buildKey", plan.buildKey(),
                  "dependencyKey", plan.dependencyKey(),
                  "workspace", ws.root().toString())));
      return Exit.OK;
    } catch (BuildException e) {
      return fail(e);
    }
  }

  /** The error on stderr and, in the build Job, as the termination message. */
  private int fail(BuildException e) {
    new StepError(SourceArgs.STEP, e.closureProblems(), e.getMessage()).write(terminationLog);
    return BuildSupport.fail(SourceArgs.STEP, e, OutputOptions.Format.text, out, err);
  }

  /**
   * The options the build Job gives this step, as the Job builder wrote them ({@code -f}, {@code
   * --tar}, {@code --index-url} and {@code --docker-config} are for running the step by hand).
   */
  SourceArgs jobArgs() {
    return new SourceArgs(
        release.json,
        gitUrl,
        commit,
        BuildSupport.text(gitCredentials),
        BuildSupport.text(source),
        BuildSupport.text(workspace),
        inputs.base(),
        to,
        venvInBaseImage,
        BuildSupport.text(terminationLog),
        registry.insecure());
  }
}
