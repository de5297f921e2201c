package dev.pyrelease.cli;

import dev.pyrelease.buildjob.StepOptions;
import dev.pyrelease.buildjob.VenvArgs;
import dev.pyrelease.cli.options.HostPythonOption;
import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.cli.options.RegistryOptions;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.engine.VenvRunner;
import dev.pyrelease.engine.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = VenvArgs.STEP,
    mixinStandardHelpOptions = true,
    resourceBundle = "dev.pyrelease.cli.venv", // what --insecure-registry means here
    sortOptions = false,
    description = {
      "Build step 2 of 3: runs WORKSPACE/venv.py as the source step decided: the full venv in the"
          + " base image, the app only in the dependency image, or nothing.",
      "(In the build Job this container is the base image itself running venv.py.)"
    })
final class VenvCommand implements Callable<Integer> {
  @Option(names = StepOptions.WORKSPACE, required = true, paramLabel = "DIR")
  Path workspace;

  @Option(names = "--runner", paramLabel = "podman|docker|host")
  BuildSupport.Runner runner = BuildSupport.Runner.podman;

  @Mixin HostPythonOption hostPython = new HostPythonOption();

  @Option(names = "--index-credentials", paramLabel = "FILE", description = "netrc format.")
  Path indexCredentials;

  @Mixin RegistryOptions registry = new RegistryOptions();

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;

  VenvCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      BuildSupport.checkNetrc(indexCredentials);
      VenvRunner r = BuildSupport.runner(runner, env, registry, hostPython);
      LocalBuild build = BuildSupport.session(registry, null).next(err);
      build.venv(new Workspace(workspace), r, indexCredentials, r.runsImages());
      return Exit.OK;
    } catch (BuildException e) {
      return BuildSupport.fail(VenvArgs.STEP, e, OutputOptions.Format.text, out, err);
    }
  }
}
