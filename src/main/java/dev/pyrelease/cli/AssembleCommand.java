package dev.pyrelease.cli;

import dev.pyrelease.buildjob.AssembleArgs;
import dev.pyrelease.buildjob.AssembleResult;
import dev.pyrelease.buildjob.StepError;
import dev.pyrelease.buildjob.StepOptions;
import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.cli.options.RegistryOptions;
import dev.pyrelease.cli.options.WorkspaceOptions;
import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildPlan;
import dev.pyrelease.engine.BuildResult;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.image.ImageRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = AssembleArgs.STEP,
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build step 3 of 3: closure check of the installed METADATA, layer plan, push (dependency"
          + " image when the venv step ran, then the release by digest); the full result as JSON"
          + " on stdout (--output json) and in WORKSPACE/result.json, a bounded summary (image,"
          + " digest, keys, venv step, layers; < 4 KiB) to --result-file (/dev/termination-log)."
    })
final class AssembleCommand implements Callable<Integer> {
  @Option(names = StepOptions.WORKSPACE, required = true, paramLabel = "DIR")
  Path workspace;

  @Option(
      names = "--venv",
      paramLabel = "DIR",
      description =
          "Where the venv step's venv is (default WORKSPACE/venv, else /opt/venv when that holds"
              + " a venv, as in the build Job).")
  Path venv;

  @Option(
      names = StepOptions.TAR,
      paramLabel = "FILE",
      description = "Write a docker-load archive instead of pushing to the plan's repository.")
  Path tar;

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Option(names = "--cache-dir", paramLabel = "DIR")
  Path cacheDir;

  @Mixin OutputOptions output = new OutputOptions();

  @Option(
      names = StepOptions.RESULT_FILE,
      paramLabel = "FILE",
      description =
          "Also write the bounded result here (no distributions or closure report: a"
              + " termination message keeps 4096 bytes); when the step fails, its error.")
  Path resultFile;

  private final PrintWriter out;
  private final PrintWriter err;

  private final CliSettings settings;

  AssembleCommand(CliSettings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      Workspace ws = new Workspace(workspace, venv);
      if (venv == null
          && !java.nio.file.Files.isDirectory(ws.venv())
          && java.nio.file.Files.isRegularFile(Path.of(Workspace.VENV_PATH, "pyvenv.cfg"))) {
        ws = new Workspace(workspace, Path.of(Workspace.VENV_PATH));
      }
      BuildPlan plan = BuildPlan.read(ws.plan());
      ImageRef repo = ImageRef.parse(plan.repository());
      AssembleStep.Output dest =
          tar != null
              ? new AssembleStep.Output.Tar(tar.toAbsolutePath(), repo)
              : new AssembleStep.Output.Registry(repo);
      LocalBuild build =
          BuildSupport.session(registry, WorkspaceOptions.jibCache(cacheDir, settings.cacheDir()))
              .next(err);
      BuildResult result = build.assemble(ws, dest);
      result.write(ws.result());
      if (resultFile != null) {
        writeResult(summary(result), resultFile);
      }
      BuildSupport.print(result, output.format(), out);
      return Exit.OK;
    } catch (BuildException e) {
      new StepError(AssembleArgs.STEP, e.closureProblems(), e.getMessage()).write(resultFile);
      return BuildSupport.fail(AssembleArgs.STEP, e, output.format(), out, err);
    }
  }

  private static void writeResult(AssembleResult result, Path file) {
    try {
      result.write(file);
    } catch (IOException e) {
      throw BuildException.environment("cannot write the result to " + file + ": " + e);
    }
  }

  /** The termination result: the build's, bounded (counts for the distributions and closure). */
  static AssembleResult summary(BuildResult r) {
    return AssembleResult.of(
        r.image(),
        r.digest(),
        r.buildKey(),
        r.dependencyKey(),
        r.dependencyImage(),
        r.venvStep(),
        r.layers() == null
            ? null
            : r.layers().stream()
                .map(l -> new AssembleResult.Layer(l.name(), l.sizeBytes(), l.uploaded()))
                .toList(),
        r.distributions() == null ? null : r.distributions().size(),
        r.closure() == null ? null : r.closure().ok());
  }

  /**
   * The options the build Job gives this step, as the Job builder wrote them ({@code --venv},
   * {@code --tar} and {@code --cache-dir} are for running the step by hand).
   */
  AssembleArgs jobArgs() {
    return new AssembleArgs(
        BuildSupport.text(workspace),
        registry.insecure(),
        registry.credentialsOverHttp(),
        BuildSupport.text(registry.dockerConfig()),
        output.json(),
        BuildSupport.text(resultFile));
  }
}
