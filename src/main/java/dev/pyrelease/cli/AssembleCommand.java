package dev.pyrelease.cli;

import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildPlan;
import dev.pyrelease.engine.BuildResult;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.image.ImageRef;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "assemble",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build step 3 of 3: closure check of the installed METADATA, layer plan, push (dependency"
          + " image when the venv step ran, then the release by digest); the full result as JSON"
          + " on stdout (--output json) and in WORKSPACE/result.json, a bounded summary (image,"
          + " digest, keys, venv step, layers; < 4 KiB) to --result-file (/dev/termination-log)."
    })
final class AssembleCommand implements Callable<Integer> {
  @Option(names = "--workspace", required = true, paramLabel = "DIR")
  Path workspace;

  @Option(
      names = "--venv",
      paramLabel = "DIR",
      description =
          "Where the venv step's venv is (default WORKSPACE/venv, else /opt/venv when that holds"
              + " a venv, as in the build Job).")
  Path venv;

  @Option(
      names = "--tar",
      paramLabel = "FILE",
      description = "Write a docker-load archive instead of pushing to the plan's repository.")
  Path tar;

  @Option(names = "--insecure-registry")
  boolean insecureRegistry;

  @Option(names = "--docker-config", paramLabel = "FILE")
  Path dockerConfig;

  @Option(names = "--cache-dir", paramLabel = "DIR")
  Path cacheDir;

  @Option(names = "--output", paramLabel = "text|json")
  BuildSupport.Output output = BuildSupport.Output.text;

  @Option(
      names = "--result-file",
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
          BuildSupport.localBuild(
              dockerConfig, insecureRegistry, BuildSupport.jibCache(cacheDir, settings), err);
      BuildResult result = build.assemble(ws, dest);
      result.write(ws.result());
      if (resultFile != null) {
        result.writeTermination(resultFile);
      }
      BuildSupport.print(result, output, out);
      return Exit.OK;
    } catch (BuildException e) {
      BuildSupport.terminationMessage(resultFile, "assemble", e);
      return BuildSupport.fail("assemble", e, output, out, err);
    }
  }
}
