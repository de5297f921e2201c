package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.BuildSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.buildjob.AssembleArgs;
import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.buildjob.BuildPodReport;
import dev.pyrelease.buildjob.BuildSteps;
import dev.pyrelease.buildjob.CommandsArgs;
import dev.pyrelease.buildjob.PodStatuses;
import dev.pyrelease.buildjob.SourceArgs;
import dev.pyrelease.buildjob.StepOptions;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.kube.ReleaseFixture;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.RequirementsFile;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.release.ReleaseKeys;
import dev.pyrelease.validate.ManifestReader;
import io.fabric8.kubernetes.api.model.Container;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The build Job's contract with the step commands: the arguments the Job builder writes parse, with
 * the CLI's own command tree, into the options the step was given; the error a step writes is what
 * the operator's Built condition shows.
 */
class StepCommandsTest {
  static final OperatorConfig CONFIG =
      OperatorConfig.from(Map.of("PYRELEASE_OPERATOR_IMAGE", "registry.internal/pyrelease:1.0"));
  static final BuildJobBuilder.Request REQ =
      new BuildJobBuilder.Request(
          5, "c".repeat(40), "k".repeat(64), "r".repeat(64), "registry.internal/python:3.11");

  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final Cli cli = new Cli(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));

  /** Every secret set; none, with the registry on loopback. */
  static List<PythonRelease> releases() {
    PythonRelease bare = ReleaseFixture.shop();
    bare.getSpec().getSource().getGit().setSecretRef(null);
    bare.getSpec().getIndex().setSecretRef(null);
    bare.getSpec().getImage().setPushSecretRef(null);
    bare.getSpec().getImage().setRepository("127.0.0.1:5000/web/shop");
    return List.of(ReleaseFixture.shop(), bare);
  }

  Object parse(Container c) {
    CommandLine.ParseResult r = cli.commandLine().parseArgs(c.getArgs().toArray(String[]::new));
    assertThat(r.subcommand()).as("%s names a subcommand", c.getArgs()).isNotNull();
    return r.subcommand().commandSpec().userObject();
  }

  @Test
  void theSourceContainersArgumentsAreTheSourceStepsOptions() {
    for (PythonRelease release : releases()) {
      var pod =
          BuildJobBuilder.desired(release, REQ, CONFIG.buildJob())
              .getSpec()
              .getTemplate()
              .getSpec();
      Container source = pod.getInitContainers().get(0);
      assertThat(source.getName()).isEqualTo(SourceArgs.STEP);
      SourceCommand parsed = (SourceCommand) parse(source);
      assertThat(parsed.jobArgs()).isEqualTo(BuildSteps.of(release, REQ).source());
    }
  }

  @Test
  void theJobCarriesTheBuildCommandsInTheReleaseTheSourceStepKeysAsTheOperatorDoes()
      throws Exception {
    List<List<String>> commands =
        List.of(
            List.of("python", "manage.py", "collectstatic", "--noinput"),
            List.of("python", "manage.py", "compilemessages", "-l", "de"));
    PythonRelease release = ReleaseFixture.shop();
    release.getSpec().setBuild(new BuildSpec());
    release.getSpec().getBuild().setCommands(commands);
    var pod =
        BuildJobBuilder.desired(release, REQ, CONFIG.buildJob()).getSpec().getTemplate().getSpec();
    SourceCommand parsed = (SourceCommand) parse(pod.getInitContainers().get(0));
    assertThat(parsed.jobArgs()).isEqualTo(BuildSteps.of(release, REQ).source());
    // what the source step validates and keys: the release as the CLI reads --release-json
    PythonRelease read =
        ManifestReader.fromGeneratedCrd()
            .read(StepOptions.RELEASE_JSON, parsed.jobArgs().releaseJson())
            .release();
    assertThat(read.getSpec().getBuild().getCommands()).isEqualTo(commands);
    ParsedRequirements req = RequirementsFile.parseInline("django==5.2.17\n", "inline");
    BaseImageRef base = new BaseImageRef(REQ.baseImage(), "sha256:" + "0".repeat(64));
    IndexLocation index = IndexLocation.simple("http://127.0.0.1:8081/simple/");
    // one function, the same inputs: the operator's key (from its release) is the step's
    assertThat(ReleaseKeys.of(read.getSpec(), req, REQ.commit(), index, base, "v"))
        .isEqualTo(ReleaseKeys.of(release.getSpec(), req, REQ.commit(), index, base, "v"));
    release.getSpec().getBuild().setCommands(commands.subList(0, 1));
    assertThat(ReleaseKeys.of(release.getSpec(), req, REQ.commit(), index, base, "v").buildKey())
        .isNotEqualTo(
            ReleaseKeys.of(read.getSpec(), req, REQ.commit(), index, base, "v").buildKey());
    // the commands container runs venv.py (its parser: VenvArgsScriptTest), not the CLI
    Container commandsContainer = pod.getInitContainers().get(2);
    assertThat(commandsContainer.getName()).isEqualTo(CommandsArgs.STEP);
    assertThat(commandsContainer.getCommand()).containsExactly("python3");
  }

  @Test
  void theAssembleContainersArgumentsAreTheAssembleStepsOptions() {
    for (PythonRelease release : releases()) {
      var pod =
          BuildJobBuilder.desired(release, REQ, CONFIG.buildJob())
              .getSpec()
              .getTemplate()
              .getSpec();
      Container assemble = pod.getContainers().get(0);
      assertThat(assemble.getName()).isEqualTo(AssembleArgs.STEP);
      AssembleCommand parsed = (AssembleCommand) parse(assemble);
      assertThat(parsed.jobArgs()).isEqualTo(BuildSteps.of(release, REQ).assemble());
    }
    // with the operator's PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP, for a loopback registry
    PythonRelease loopback = ReleaseFixture.shop();
    loopback.getSpec().getImage().setRepository("127.0.0.1:5000/web/shop");
    var on =
        dev.pyrelease.config.OperatorConfig.from(
                java.util.Map.of("PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP", "true"))
            .buildJob();
    Container assemble =
        BuildJobBuilder.desired(loopback, REQ, on)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    AssembleArgs parsed = ((AssembleCommand) parse(assemble)).jobArgs();
    assertThat(parsed.credentialsOverHttp()).isTrue();
    assertThat(parsed).isEqualTo(BuildSteps.of(loopback, REQ, true).assemble());
  }

  @Test
  void aFailedCheckoutIsTheSourceStepsMessageAndTheBuiltCondition() throws Exception {
    Path log = tmp.resolve("termination-log");
    var args =
        new SourceArgs(
            BuildSteps.of(ReleaseFixture.shop(), REQ).source().releaseJson(),
            tmp.resolve("no-such-repository").toUri().toString(),
            "c".repeat(40),
            null,
            tmp.resolve("checkout").toString(),
            tmp.toString(),
            REQ.baseImage(),
            "127.0.0.1:5000/web/shop",
            true,
            log.toString(),
            true);
    int exit = cli.run(args.toArgs().toArray(String[]::new));
    assertThat(exit).as(err.toString()).isIn(Exit.INPUT, Exit.ENVIRONMENT);
    String message = Files.readString(log);
    assertThat(message).startsWith("pyrelease source: ");
    assertThat(err.toString().strip()).endsWith(message);

    var f = BuildPodReport.failure(List.of(PodStatuses.endedAt(SourceArgs.STEP, exit, message)));
    assertThat(f.describe())
        .isEqualTo("container source failed (Error, exit " + exit + "): " + message);
  }

  @Test
  void aFailedAssembleIsItsResultFileAndTheBuiltCondition() throws Exception {
    Path log = tmp.resolve("termination-log");
    // a workspace the source step never wrote: no plan
    var args = new AssembleArgs(tmp.toString(), false, false, null, true, log.toString());
    int exit = cli.run(args.toArgs().toArray(String[]::new));
    assertThat(exit).isEqualTo(Exit.ENVIRONMENT);
    String message = Files.readString(log);
    assertThat(message).startsWith("pyrelease assemble: cannot read the build plan ");
    assertThat(err.toString().strip()).isEqualTo(message);
    // --output json: the error document on stdout, as before
    assertThat(out.toString()).contains("\"kind\" : \"environment\"");

    var pod = PodStatuses.endedAt(AssembleArgs.STEP, exit, message);
    assertThat(BuildPodReport.image(List.of(pod), "x")).isNull();
    assertThat(BuildPodReport.failure(List.of(pod)).describe())
        .isEqualTo("container assemble failed (Error, exit 2): " + message);
  }
}
