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
  void theScriptsParserReadsTheCommandsContainersArguments() throws Exception {
    Path script = tmp.resolve("venv.py");
    VenvScript.fromJar().writeTo(script);
    CommandsArgs job =
        BuildSteps.of(BuildJobBuilderTest.withCommands(), BuildJobBuilderTest.REQ).commands();
    List<String> args = job.toArgs();
    Workspace ws = new Workspace(Path.of(BuildJobBuilder.WORKSPACE));
    assertThat(job.script()).isEqualTo(ws.script().toString());
    assertThat(job.fromPlan()).isEqualTo(ws.plan().toString());
    JsonNode seen = parse(script, args.subList(1, args.size()));
    List<String> options = new ArrayList<>();
    seen.get("options").forEach(o -> options.add(o.asText()));
    args.stream().filter(a -> a.startsWith("--")).forEach(a -> assertThat(options).contains(a));
    JsonNode ns = seen.get("namespace");
    assertThat(ns.get("commands_only").asBoolean()).isTrue();
    // the commands come from the plan (the source step's, keyed from the release), not the args
    assertThat(ns.get("build_commands").isNull()).isTrue();
    assertThat(new CommandsArgs(args.get(0), text(ns, "from_plan"), text(ns, "termination_log")))
        .isEqualTo(job);
    // where the Job mounts the app and runs its user is where and as whom the script runs them
    assertThat(text(ns, "run_dir")).isEqualTo(BuildJobBuilder.APP_DIR);
    assertThat(text(ns, "build_user"))
        .isEqualTo(BuildJobBuilder.BUILD_USER + ":" + BuildJobBuilder.BUILD_USER)
        .isEqualTo(dev.pyrelease.image.ImageSettings.DEFAULT_USER);
  }

  @Test
  void theScriptsParserReadsTheRunImageChecksArguments() throws Exception {
    Path script = tmp.resolve("venv.py");
    VenvScript.fromJar().writeTo(script);
    var release = ReleaseFixture.shop();
    release.getSpec().getPython().setBuildImage("registry.internal/python-build:3.11");
    var pod =
        BuildJobBuilder.desired(
                release,
                BuildJobBuilderTest.WITH_BUILD_IMAGE,
                BuildJobBuilderTest.CONFIG.buildJob())
            .getSpec()
            .getTemplate()
            .getSpec();
    for (String step : List.of(RunImageCheckArgs.INTERPRETER, RunImageCheckArgs.LIBRARIES)) {
      var container =
          pod.getInitContainers().stream().filter(c -> c.getName().equals(step)).findFirst();
      List<String> args = container.orElseThrow().getArgs();
      JsonNode seen = parse(script, args.subList(1, args.size()));
      List<String> options = new ArrayList<>();
      seen.get("options").forEach(o -> options.add(o.asText()));
      args.stream().filter(a -> a.startsWith("--")).forEach(a -> assertThat(options).contains(a));
      JsonNode ns = seen.get("namespace");
      assertThat(ns.get("probe_interpreter").asBoolean())
          .isEqualTo(step.equals(RunImageCheckArgs.INTERPRETER));
      assertThat(ns.get("check_libraries").asBoolean())
          .isEqualTo(step.equals(RunImageCheckArgs.LIBRARIES));
      assertThat(
              new RunImageCheckArgs(
                  step, args.get(0), text(ns, "from_plan"), text(ns, "termination_log")))
          .isEqualTo(
              new RunImageCheckArgs(
                  step, "/workspace/venv.py", "/workspace/plan.json", "/dev/termination-log"));
    }
  }

  @Test
  void aFailedBuildCommandIsItsLastLinesThenTheErrorBoundedAndTheBuiltCondition() throws Exception {
    Path script = tmp.resolve("venv.py");
    VenvScript.fromJar().writeTo(script);
    // a workspace as the venv step leaves it: the app exported, its manifest
    Path ws = tmp.resolve("ws");
    Path app = Files.createDirectories(ws.resolve("out/app-files"));
    Files.writeString(app.resolve("manage.py"), "print('x')\n");
    Files.writeString(
        ws.resolve("out/manifest.json"),
        "{\"app\": {\"kind\": \"files\", \"root\": \"/app\", \"files\": [\"manage.py\"],"
            + " \"exported\": \"app-files\"}}\n");
    // 40 long lines of non-ASCII output, then exit 3
    Files.writeString(
        ws.resolve("plan.json"),
        "{\"buildCommands\": [[\"sh\", \"-c\", \"for i in $(seq 1 40); do printf \\\"line $i \\\";"
            + " for j in $(seq 1 200); do printf \u00e9; done; echo; done; exit 3\"]]}\n");
    Path runDir = Files.createDirectories(tmp.resolve("run"));
    Path log = tmp.resolve("termination-log");
    List<String> argv =
        new ArrayList<>(
            List.of(
                VenvArgs.PYTHON,
                "-c",
                "import importlib.util, sys\n"
                    + "s = importlib.util.spec_from_file_location('venv', sys.argv[1])\n"
                    + "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
                    + "m.COMMANDS_TMP = sys.argv[2]\n"
                    + "sys.argv = sys.argv[2:]\n"
                    + "try:\n"
                    + "    m.main(sys.argv[1:])\n"
                    + "except m.Failure as e:\n"
                    + "    m.fail(m.mask('venv: error: %s' % e), e.code, sys.argv[1:], e.detail)\n",
                script.toString(),
                tmp.resolve("commands-tmp").toString()));
    argv.addAll(
        new CommandsArgs(script.toString(), ws.resolve("plan.json").toString(), log.toString())
            .toArgs()
            .subList(1, 4));
    argv.addAll(List.of("--termination-log", log.toString(), "--run-dir", runDir.toString()));
    openForTheBuildUser(tmp);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    String message = Files.readString(log);
    assertThat(message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(3500);
    List<String> lines = message.lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .startsWith("venv: error: build command 1 of 1 failed (exit code 3): sh -c 'for i in");
    // its last lines, each cut at 160 characters, as many as 3500 bytes hold (the first cut)
    assertThat(message)
        .contains("  | line 40 ééé")
        .contains("  | line 32 ééé")
        .doesNotContain("line 20 ");
    assertThat(lines.get(lines.size() - 2)).endsWith("é…");
    var f = BuildPodReport.failure(List.of(PodStatuses.endedAt(CommandsArgs.STEP, 1, message)));
    assertThat(f.container()).isEqualTo("commands");
    assertThat(f.describe())
        .startsWith("container commands failed (Error, exit 1): …")
        .contains("venv: error: build command 1 of 1 failed (exit code 3)");
    assertThat(f.describe().length()).isLessThan(700);
  }

  /** The build user (the tests run as root) must reach the test's directories. */
  static void openForTheBuildUser(Path dir) throws Exception {
    Path top = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
    for (Path p = dir.toRealPath(); p.startsWith(top) && !p.equals(top); p = p.getParent()) {
      Files.setPosixFilePermissions(
          p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
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
