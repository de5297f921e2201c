package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildPlan;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.JGitResolver;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.validate.ReleaseValidation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "source",
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
        names = "--release-json",
        paramLabel = "JSON",
        description = "The release itself (apiVersion, kind, metadata, spec) as JSON.")
    String json;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Release release;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "DIR",
      description = "The checkout (with --git-url/--commit: where to check it out).")
  Path source;

  @Option(names = "--git-url", paramLabel = "URL", description = "Check out this repository...")
  String gitUrl;

  @Option(names = "--commit", paramLabel = "SHA", description = "...at this commit.")
  String commit;

  @Option(
      names = "--git-credentials",
      paramLabel = "DIR",
      description = "A mounted git Secret (username/password or ssh-privatekey files).")
  Path gitCredentials;

  @Option(names = "--workspace", required = true, paramLabel = "DIR")
  Path workspace;

  @Option(
      names = "--termination-log",
      paramLabel = "FILE",
      description =
          "When the step fails, also write its error here (the build Job's /dev/termination-log:"
              + " the operator's Built condition shows it).")
  Path terminationLog;

  @Option(names = "--to", paramLabel = "REPOSITORY")
  String to;

  @Option(names = "--tar", paramLabel = "FILE", description = "The build will write a tar.")
  Path tar;

  @Option(names = "--base", paramLabel = "IMAGE")
  String base;

  @Option(names = "--index-url", paramLabel = "URL")
  String indexUrl;

  @Option(names = "--insecure-registry")
  boolean insecureRegistry;

  @Option(names = "--docker-config", paramLabel = "FILE")
  Path dockerConfig;

  @Option(
      names = "--venv-in-base-image",
      description =
          "The venv step runs in the base image, whatever this step decides (the build Job):"
              + " never app-only; a package app on an existing dependency image gets the full"
              + " venv step (byte-identical venv layers, nothing new uploaded but the app).")
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
      err.println("pyrelease source: --git-url and --commit go together");
      return Exit.USAGE;
    }
    Workspace ws = new Workspace(workspace);
    if (gitUrl != null) {
      try (JGitResolver git = new JGitResolver(ws.root().resolve(".git-cache"))) {
        err.println("[source] checking out " + commit + " of " + gitUrl);
        git.checkout(gitUrl, commit, source, GitCredentials.fromDirectory(gitCredentials));
      } catch (SourceException e) {
        BuildException failed =
            ReleaseCheckout.isBadInput(e)
                ? BuildException.input(e.getMessage())
                : BuildException.environment(e.getMessage());
        BuildSupport.terminationMessage(terminationLog, "source", failed);
        return BuildSupport.fail("source", failed, BuildSupport.Output.text, out, err);
      }
    }
    ReleaseValidation validation =
        release.json != null
            ? ReleaseValidation.ofText("--release-json", release.json, source)
            : ReleaseValidation.of(release.file, source);
    BuildCommand.Validated v =
        BuildCommand.validate("source", validation, source, BuildSupport.Output.text, out, err);
    if (v.exit() != null) {
      return v.exit();
    }
    PythonReleaseSpec spec = v.validation().manifest().release().getSpec();
    try {
      String baseImage = base != null ? base : spec.getPython().getBaseImage();
      if (baseImage == null) {
        err.println(
            "pyrelease source: no base image: give --base IMAGE or set spec.python.baseImage");
        return Exit.USAGE;
      }
      AssembleStep.Output dest = BuildCommand.output(spec, to, tar);
      LocalBuild build = BuildSupport.localBuild(dockerConfig, insecureRegistry, null, err);
      BuildPlan plan =
          build.source(
              ws,
              new LocalBuild.SourceInputs(
                  v.validation().manifest().release().getMetadata().getName(),
                  spec,
                  v.validation().requirements(),
                  source,
                  commit,
                  indexUrl,
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
      BuildSupport.terminationMessage(terminationLog, "source", e);
      return BuildSupport.fail("source", e, BuildSupport.Output.text, out, err);
    }
  }
}
