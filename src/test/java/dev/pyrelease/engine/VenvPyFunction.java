package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.release.VenvScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs one function of the jar's venv.py with this machine's python3, for unit tests of it. */
final class VenvPyFunction {
  private VenvPyFunction() {}

  /**
   * {@code venv.<call>} in a python3 where {@code args} is {@code sys.argv[2:]}; the script is
   * written into {@code dir} first. Asserts it exits 0.
   *
   * @param call a Python expression on the module {@code m}, e.g. {@code
   *     m.content_mtimes(sys.argv[2])}
   * @return its output (stdout and stderr)
   */
  static String run(Path dir, String call, String... args) throws Exception {
    Path script = dir.resolve("venv.py");
    if (!Files.exists(script)) {
      VenvScript.fromJar().writeTo(script);
    }
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(
            "python3",
            "-c",
            "import importlib.util, sys\n"
                + "s = importlib.util.spec_from_file_location('venv', sys.argv[1])\n"
                + "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
                + call
                + "\n",
            script.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
