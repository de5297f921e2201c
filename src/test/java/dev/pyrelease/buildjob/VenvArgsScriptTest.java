package dev.pyrelease.buildjob;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.kube.ReleaseFixture;
import dev.pyrelease.release.VenvScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The venv container's arguments against the shipped venv.py's own argparse parser (the script
 * cannot change without changing every build key): what the Job builder writes is what the script
 * reads, and a failure the script writes is what the operator shows.
 */
class VenvArgsScriptTest {
  /**
   * Imports the script, runs its parse_args on the arguments after the script, and prints the
   * parser's option strings and the namespace argparse made (before --from-plan fills it from the
   * plan, which is the source step's, not in this test).
   */
  static final String PARSE =
      String.join(
          "\n",
          "import argparse, importlib.util, json, sys",
          "s = importlib.util.spec_from_file_location('venv', sys.argv[1])",
          "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)",
          "seen = {}",
          "parse = argparse.ArgumentParser.parse_args",
          "def spy(self, args=None, namespace=None):",
          "    seen['options'] = sorted(self._option_string_actions)",
          "    ns = parse(self, args, namespace)",
          "    seen['namespace'] = dict(vars(ns))",
          "    return ns",
          "argparse.ArgumentParser.parse_args = spy",
          "m.from_plan = lambda a: setattr(a, 'requirements', 'read from the plan')",
          "m.parse_args(sys.argv[2:])",
          "print(json.dumps(seen))",
          "");

  @TempDir Path tmp;

  static List<VenvArgs> jobs() {
    var bare = ReleaseFixture.shop();
    bare.getSpec().getIndex().setSecretRef(null);
    return List.of(
        BuildSteps.of(ReleaseFixture.shop(), BuildJobBuilderTest.REQ).venv(),
        BuildSteps.of(bare, BuildJobBuilderTest.REQ).venv());
  }

  @Test
  void theScriptsParserReadsWhatTheJobBuilderWrites() throws Exception {
    Path script = tmp.resolve("venv.py");
    VenvScript.fromJar().writeTo(script);
    for (VenvArgs job : jobs()) {
      List<String> args = job.toArgs();
      // the source step writes the script and the plan where the venv step looks for them
      Workspace ws = new Workspace(Path.of(BuildJobBuilder.WORKSPACE));
      assertThat(job.script()).isEqualTo(ws.script().toString());
      assertThat(job.fromPlan()).isEqualTo(ws.plan().toString());

      JsonNode seen = parse(script, args.subList(1, args.size()));
      // venv.py finds --termination-log in its argv by its exact name, not argparse's
      // abbreviations: every option must be the script's own spelling
      List<String> options = new ArrayList<>();
      seen.get("options").forEach(o -> options.add(o.asText()));
      args.stream().filter(a -> a.startsWith("--")).forEach(a -> assertThat(options).contains(a));

      JsonNode ns = seen.get("namespace");
      VenvArgs parsed =
          new VenvArgs(
              args.get(0), text(ns, "from_plan"), text(ns, "termination_log"), text(ns, "netrc"));
      assertThat(parsed).isEqualTo(job);
    }
  }

  @Test
  void anOptionTheScriptDoesNotKnowFails() throws Exception {
    Path script = tmp.resolve("venv.py");
    VenvScript.fromJar().writeTo(script);
    Process p = python(script, List.of("--from-plan", "/workspace/plan.json", "--netrc-file", "x"));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(new String(p.getInputStream().readAllBytes()))
        .contains("unrecognized arguments: --netrc-file");
  }

  @Test
  void theScriptsErrorIsWhatTheOperatorShows() throws Exception {
    Path script = tmp.resolve("venv.py");
    VenvScript.fromJar().writeTo(script);
    Path log = tmp.resolve("termination-log");
    // as in the Job, but without the source step: no plan
    VenvArgs args =
        new VenvArgs(script.toString(), tmp.resolve("plan.json").toString(), log.toString(), null);
    List<String> argv = new ArrayList<>(args.command());
    argv.addAll(args.toArgs());
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    String message = Files.readString(log);
    assertThat(message).startsWith("venv: error: cannot read the build plan ");
    assertThat(out.strip()).endsWith(message);

    var f = BuildPodReport.failure(List.of(PodStatuses.endedAt(VenvArgs.STEP, 2, message)));
    assertThat(f.container()).isEqualTo("venv");
    assertThat(f.describe()).isEqualTo("container venv failed (Error, exit 2): " + message);
  }

  private JsonNode parse(Path script, List<String> args) throws Exception {
    Process p = python(script, args);
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return new ObjectMapper().readTree(out);
  }

  private static Process python(Path script, List<String> args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(VenvArgs.PYTHON, "-c", PARSE, script.toString()));
    argv.addAll(args);
    return new ProcessBuilder(argv).redirectErrorStream(true).start();
  }

  private static String text(JsonNode ns, String field) {
    JsonNode v = ns.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
