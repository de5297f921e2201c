package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.build.AssembleStep;
import dev.pyrelease.build.BuildException;
import dev.pyrelease.build.BuildPlan;
import dev.pyrelease.build.LocalBuild;
import dev.pyrelease.build.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "source",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build step 1 of 3: validates the release, copies the source into WORKSPACE/src, writes"
          + " venv.py, the normalised requirements and plan.json (keys), and decides whether the"
          + " venv step must run (it does not when <repository>:deps-<key> exists).",
      "Prints the plan (JSON) on stdout."
    })
final class SourceCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "RELEASE.yaml")
  Path file;

  @Option(names = "--source", required = true, paramLabel = "DIR", description = "The checkout.")
  Path source;

  @Option(names = "--workspace", required = true, paramLabel = "DIR")
  Path workspace;

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

  private final PrintWriter out;
  private final PrintWriter err;

  SourceCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    BuildCommand.Validated v =
        BuildCommand.validate("source", file, source, BuildSupport.Output.text, out, err);
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
              new Workspace(workspace),
              new LocalBuild.SourceInputs(
                  v.validation().manifest().release().getMetadata().getName(),
                  spec,
                  v.validation().requirements(),
                  source,
                  indexUrl,
                  baseImage,
                  dest));
      out.println(
          BuildSupport.json(
              Map.of(
                  "buildKey", plan.buildKey(),
                  "dependencyKey", plan.dependencyKey(),
                  "workspace", new Workspace(workspace).root().toString())));
      return Exit.OK;
    } catch (BuildException e) {
      return BuildSupport.fail("source", e, BuildSupport.Output.text, out, err);
    }
  }
}
