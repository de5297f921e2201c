package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.testing.PyHttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pyrelease check} end to end, against the machine's real index served on loopback. */
class CheckCommandTest {
  static PyHttpServer index;
  @TempDir Path dir;

  @BeforeAll
  static void serveIndex() throws Exception {
    index = PyHttpServer.start(Path.of("/opt/pypi"));
  }

  @AfterAll
  static void stop() throws Exception {
    index.close();
  }

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // no metadata cache: every run talks to the index
    int code =
        new Cli(
                Map.of("PYRELEASE_CACHE_DIR", ""),
                new PrintWriter(out, true),
                new PrintWriter(err, true))
            .run(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path release(String requirements) throws Exception {
    String indented = requirements.strip().replace("\n", "\n      ");
    Path file = dir.resolve("release.yaml");
    Files.writeString(
        file,
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: app}
        spec:
          source: {git: {url: https://git.internal/app.git, ref: main}}
          requirements:
            inline: |
              %s
          index: {url: "%s"}
          python: {version: "3.11"}
          image: {repository: registry.internal/app}
          run: {command: [python, -m, app]}
        """
            .formatted(indented, index.url("simple/")));
    return file;
  }

  @Test
  void theDjangoExampleIsPinnedOnTheIndexAndClosed() {
    Run r =
        run(
            "check",
            "-f",
            "examples/django/release.yaml",
            "--source",
            "examples/django/app",
            "--index-url",
            index.url("simple/"));
    assertThat(r.err).isEmpty();
    assertThat(r.out)
        .isEqualTo(
            "base image: spec.python.baseImage not set (the operator's default for Python 3.11"
                + " applies in the cluster; pyrelease build needs --base)\n"
                + "examples/django/release.yaml: ok, 7 requirements pinned, all on the index, closure"
                + " complete\n");
    assertThat(r.code).isZero();
  }

  @Test
  void celeryWithoutItsClickPluginsIsNotClosed() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release(
                    """
                celery==5.6.3
                billiard==4.3.0
                click==8.5.0
                kombu==5.6.2
                amqp==5.4.0
                vine==5.1.0
                packaging==26.3
                tzdata==2026.4
                python-dateutil==2.9.0.post0
                six==1.17.0
                tzlocal==5.4.4
                """)
                .toString());
    assertThat(r.out)
        .contains("celery 5.6.3 requires click-didyoumean>=0.3.0, which is not pinned")
        .contains("celery 5.6.3 requires click-repl>=0.2.0, which is not pinned")
        .contains("closure: to fix, pin what is missing (name==version");
    assertThat(r.code).isEqualTo(1);
  }

  @Test
  void kombuRedisExtraConflictsWithRedis8() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release(
                    """
                kombu[redis]==5.6.2
                redis==8.1.0
                amqp==5.4.0
                vine==5.1.0
                packaging==26.3
                tzdata==2026.4
                """)
                .toString());
    assertThat(r.out)
        .contains(
            "kombu 5.6.2 [redis] requires redis!=4.5.5,!=5.0.2,<6.5,>=4.5.2, but redis==8.1.0 is"
                + " pinned (spec.requirements.inline:2)");
    assertThat(r.code).isEqualTo(1);
  }

  @Test
  void aFlaskStackIsClosedAndPython39OnlyMarkersAreNotReported() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release(
                    """
                flask==3.1.3
                werkzeug==3.1.9
                jinja2==3.1.6
                itsdangerous==2.2.0
                click==8.5.0
                blinker==1.9.0
                markupsafe==3.0.3
                """)
                .toString());
    assertThat(r.out).doesNotContain("importlib").endsWith("closure complete\n");
    assertThat(r.code).isZero();
  }

  @Test
  void pinsMissingFromTheIndexAndWrongHashesAreReportedAtTheirLines() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release(
                    """
                django==9.9.9
                sqlparse==0.6.0 --hash=sha256:%s
                """
                        .formatted("0".repeat(64)))
                .toString());
    assertThat(r.out)
        .contains(
            "spec.requirements.inline:1: django==9.9.9 is not on the index — pin a version the"
                + " index has: 5.2.17")
        .contains(
            "spec.requirements.inline:2: no pinned hash of sqlparse==0.6.0 matches its files on"
                + " the index (sqlparse-0.6.0-py3-none-any.whl has sha256:");
    assertThat(r.code).isEqualTo(1);
  }

  @Test
  void everyBadLineIsReportedBeforeTheIndexIsAsked() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release("django>=5\nflask\nrequests==2.32.3\nRequests==2.32.3").toString());
    assertThat(r.out.lines().filter(l -> l.startsWith("spec.requirements.inline:"))).hasSize(3);
    assertThat(r.out).endsWith("3 problem(s) found\n");
    assertThat(r.code).isEqualTo(1);
  }

  @Test
  void anUnreachableIndexIsAnEnvironmentErrorNamingTheUrl() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release("django==5.2.17").toString(),
            "--index-url",
            "http://127.0.0.1:1/simple/");
    assertThat(r.err)
        .startsWith(
            "pyrelease check: index http://127.0.0.1:1/simple/ is unreachable: connection"
                + " refused");
    assertThat(r.code).isEqualTo(2);
  }

  @Test
  void anEmptyBuildCommandIsRefusedAtItsLine() throws Exception {
    Path file = release("django==5.2.17");
    Files.writeString(
        file,
        Files.readString(file)
            + "  build:\n"
            + "    commands:\n"
            + "      - [python, manage.py, collectstatic, --noinput]\n"
            + "      - []\n"
            + "      - [\"\"]\n"
            + "      - [\"  \", x]\n");
    Run r = run("check", "-f", file.toString());
    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    assertThat(r.out)
        .contains(file + ":16: spec.build.commands[1] is an empty command")
        .contains(file + ":17: spec.build.commands[2][0] names no program")
        .contains(file + ":18: spec.build.commands[3][0] names no program")
        .doesNotContain("commands[0]")
        .endsWith("3 problem(s) found\n");
  }

  @Test
  void aBadManifestIsInputErrorWithItsLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        "apiVersion: pyrelease.dev/v1alpha1\nkind: PythonRelease\nmetadata: {name: a}\nspec: {}\n");
    Run r = run("check", "-f", file.toString());
    assertThat(r.out).contains(file + ":4: spec.source is required");
    assertThat(r.code).isEqualTo(1);
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertThat(run("check").code).isEqualTo(2);
    // no checkout given and the example's repository is not reachable from here
    Run noSource = run("check", "-f", "examples/django/release.yaml");
    assertThat(noSource.err)
        .contains("https://git.internal/shop.git")
        .contains("give --source DIR, a checkout, to check without the repository");
    assertThat(noSource.code).isEqualTo(2);
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertThat(r.out).contains("check");
    assertThat(r.code).isZero();
  }

  @Test
  void withoutSourceTheRequirementFilesAreReadAtTheRefsCommit() throws Exception {
    Path origin = Files.createDirectories(dir.resolve("origin/requirements"));
    Files.writeString(origin.resolve("prod.txt"), "-r base.txt\nsqlparse==0.6.0\n");
    Files.writeString(origin.resolve("base.txt"), "django>=5\n");
    var who = new org.eclipse.jgit.lib.PersonIdent("Test", "test@example.com");
    try (var git =
        org.eclipse.jgit.api.Git.init()
            .setDirectory(dir.resolve("origin").toFile())
            .setInitialBranch("main")
            .call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("v1").setAuthor(who).setCommitter(who).call();
      git.tag().setName("v1").setAnnotated(false).call();
      Files.writeString(origin.resolve("base.txt"), "django==5.2.17\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("v2").setAuthor(who).setCommitter(who).call();
      git.tag().setName("v2").setAnnotated(false).call();
    }
    Path file = dir.resolve("release.yaml");
    String yaml =
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: app}
        spec:
          source: {git: {url: "%s", ref: v1}}
          requirements: {file: requirements/prod.txt}
          index: {url: "http://127.0.0.1:9/simple/"}
          python: {version: "3.11"}
          image: {repository: 127.0.0.1:5000/app}
          run: {command: [python, app.py]}
        """
            .formatted(dir.resolve("origin").toUri());
    Files.writeString(file, yaml);
    Run v1 = run("check", "-f", file.toString(), "--no-index");
    assertThat(v1.code()).as(v1.err()).isEqualTo(1);
    assertThat(v1.err()).contains("[source] v1 of " + dir.resolve("origin").toUri() + " is ");
    assertThat(v1.out()).contains("requirements/base.txt:1").contains("django>=5");

    Files.writeString(file, yaml.replace("ref: v1", "ref: v2"));
    Run v2 = run("check", "-f", file.toString(), "--no-index");
    assertThat(v2.code()).as(v2.out() + v2.err()).isZero();
    assertThat(v2.out()).contains("ok, 2 requirements pinned");

    Files.writeString(file, yaml.replace("ref: v1", "ref: v9"));
    Run v9 = run("check", "-f", file.toString(), "--no-index");
    assertThat(v9.code()).isEqualTo(1);
    assertThat(v9.err()).contains("ref 'v9' not found");
  }

  /** A release whose requirements block is given whole (file or inline, closure settings). */
  private Path releaseWith(String requirementsBlock) throws Exception {
    Path file = dir.resolve("release.yaml");
    Files.writeString(
        file,
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: app}
        spec:
          source: {git: {url: https://git.internal/app.git, ref: main}}
          requirements:
        %s
          index: {url: "%s"}
          python: {version: "3.11"}
          image: {repository: registry.internal/app}
          run: {command: [celery, -A, app, worker]}
        """
            .formatted(
                requirementsBlock.stripTrailing().indent(4).stripTrailing(), index.url("simple/")));
    return file;
  }

  static final String CELERY =
      """
      celery==5.6.3
      billiard==4.3.0
      click==8.5.0
      click-plugins==1.1.1.2
      kombu==5.6.2
      amqp==5.4.0
      vine==5.1.0
      packaging==26.3
      tzdata==2026.4
      python-dateutil==2.9.0.post0
      six==1.17.0
      tzlocal==5.4.4
      """;

  private static String inline(String lines) {
    return "inline: |\n" + lines.strip().indent(2);
  }

  @Test
  void celerysMissingClickPluginsSayTheIndexHasNeitherAndWhichMarkerRequiredThem()
      throws Exception {
    Run r = run("check", "-f", releaseWith(inline(CELERY)).toString());
    assertThat(r.out)
        .contains(
            "closure: celery 5.6.3 requires click-didyoumean>=0.3.0, which is not pinned;"
                + " required unconditionally (no marker); the index has no click-didyoumean at"
                + " all, so it cannot be pinned: publish it to the index, or, if nothing the"
                + " release runs imports it, add {name: click-didyoumean, reason: ...} to"
                + " spec.requirements.closure.ignore\n")
        .contains("celery 5.6.3 requires click-repl>=0.2.0, which is not pinned")
        .contains("2 problem(s) found");
    assertThat(r.code).isEqualTo(1);
  }

  @Test
  void closureIgnoreLetsCeleryPassWithTheCheckStillOnAndSaysWhatItAllowed() throws Exception {
    String block =
        inline(CELERY)
            + """
            closure:
              ignore:
                - {name: click-didyoumean, reason: "CLI suggestions; the workers never import it"}
                - {name: Click_Repl, reason: "celery shell only"}
            """;
    Run r = run("check", "-f", releaseWith(block).toString());
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out)
        .contains(
            "closure (ignored): celery 5.6.3 requires click-didyoumean>=0.3.0, which is not"
                + " pinned; required unconditionally (no marker); the index has no"
                + " click-didyoumean at all \u2014 ignored (spec.requirements.closure.ignore:"
                + " CLI suggestions; the workers never import it)\n")
        .contains("closure (ignored): celery 5.6.3 requires click-repl>=0.2.0")
        .doesNotContain("allows nothing")
        .endsWith(
            "ok, 12 requirements pinned, all on the index, closure complete except what"
                + " spec.requirements.closure.ignore allows: click-didyoumean, click-repl\n");

    // the check stays on for everything else: redis 8.1.0 on 3.11.0 needs async-timeout
    Run redis =
        run(
            "check",
            "-f",
            releaseWith(block.replace("tzlocal==5.4.4", "tzlocal==5.4.4\n  redis==8.1.0"))
                .toString());
    assertThat(redis.code).isEqualTo(1);
    assertThat(redis.out)
        .contains(
            "closure: redis 8.1.0 requires async-timeout>=4.0.3, which is not pinned; required:"
                + " its marker 'python_full_version < \"3.11.3\"' is true for CPython 3.11.0 on"
                + " Linux; the index has no async-timeout at all")
        .contains("1 problem(s) found");
  }

  @Test
  void anAllowanceThatAllowsNothingIsNamed() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            releaseWith(
                    inline("sqlparse==0.6.0")
                        + "closure:\n  ignore:\n    - {name: click-repl, reason: \"was needed\"}\n")
                .toString());
    assertThat(r.code).isZero();
    assertThat(r.out)
        .contains(
            "note: spec.requirements.closure.ignore: click-repl allows nothing: no requirement on"
                + " it is missing or conflicting; remove it\n")
        .endsWith("closure complete\n");
  }

  @Test
  void anAllowanceNeedsAReasonAndAValidName() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            releaseWith(
                    inline("sqlparse==0.6.0")
                        + "closure:\n  ignore:\n    - {name: click-repl}\n"
                        + "    - {name: \"bad name!\", reason: \" \"}\n")
                .toString(),
            "--no-index");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.out)
        .contains(":11: spec.requirements.closure.ignore[0].reason is required")
        .contains(":12: spec.requirements.closure.ignore[1].name 'bad name!' does not match")
        .contains(":12: spec.requirements.closure.ignore[1].reason ' ' does not match");
  }

  @Test
  void aTurnedOffClosureOrIndexIsNeverReportedAsComplete() throws Exception {
    Run off = run("check", "-f", releaseWith(inline(CELERY) + "closureCheck: false\n").toString());
    assertThat(off.code).isZero();
    assertThat(off.out)
        .doesNotContain("closure complete")
        .endsWith(
            "ok, 12 requirements pinned, all on the index; closure NOT checked"
                + " (spec.requirements.closureCheck: false)\n");
    Run noIndex = run("check", "-f", releaseWith(inline(CELERY)).toString(), "--no-index");
    assertThat(noIndex.out)
        .doesNotContain("closure complete")
        .endsWith("ok, 12 requirements pinned, index and closure not checked (--no-index)\n");
  }

  @Test
  void aLineWhoseMarkerIsFalseNeedNotExistOnTheIndex() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            releaseWith(inline("sqlparse==0.6.0\nnot-on-the-index==1.0; python_version < \"3.8\""))
                .toString());
    assertThat(r.code).as(r.out).isZero();
    assertThat(r.out)
        .contains(
            "note: spec.requirements.inline:2: 'not-on-the-index==1.0; python_version < \"3.8\"'"
                + " is skipped: its marker is false for the target, so it is neither looked up on"
                + " the index nor installed")
        .endsWith("closure complete\n");
  }

  @Test
  void aPackageAppsOwnDependenciesArePartOfTheClosure() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("requirements.txt"), "sqlparse==0.6.0\n");
    Files.writeString(
        app.resolve("pyproject.toml"),
        """
        [project]
        name = "shop"
        version = "1.0"
        dependencies = ["sqlparse>=0.5", "rich>=13"]
        """);
    Path release = releaseWith("file: requirements.txt");
    Run r = run("check", "-f", release.toString(), "--source", app.toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.out)
        .contains(
            "closure: the app shop 1.0 (pyproject.toml [project] dependencies) requires"
                + " rich>=13, which is not pinned; required unconditionally (no marker); on the"
                + " index, rich>=13 is met by rich 15.0.0, 13.9.4 (pin one, e.g. rich==15.0.0)");

    Files.writeString(
        app.resolve("requirements.txt"),
        "sqlparse==0.6.0\nrich==13.9.4\nmarkdown-it-py==4.2.0\nmdurl==0.1.2\npygments==2.21.0\n");
    Run ok = run("check", "-f", release.toString(), "--source", app.toString());
    assertThat(ok.code).as(ok.out).isZero();
    assertThat(ok.out).endsWith("closure complete; the app's own dependencies (2) checked\n");
  }

  @Test
  void aMissingRequirementsFileIsReportedAtItsLineInTheManifest() throws Exception {
    Path app = Files.createDirectories(dir.resolve("empty"));
    Path release = releaseWith("file: requirements/prod.txt");
    Run r = run("check", "-f", release.toString(), "--source", app.toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.out)
        .startsWith(
            release
                + ":7: spec.requirements.file 'requirements/prod.txt': file not found \u2014 check"
                + " spec.requirements.file");
    assertThat(r.out).doesNotContain(":0:");
  }
}
