package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failing builds against the real environment: exact exit codes and messages, and no tag left in
 * the repository (nothing pushed, so no tag can name a half-built image).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildErrorsTest {
  RealEnv real;
  Path dir;
  Path app;

  @BeforeAll
  void setUp() throws Exception {
    real = new RealEnv();
    dir = Files.createTempDirectory("pyrelease-build-errors-");
    app = Releases.plainApp(dir);
  }

  @AfterAll
  void tearDown() {
    if (dir != null) {
      Workspace.deleteTree(dir);
    }
    if (real != null) {
      real.close();
    }
  }

  RealEnv.Run build(Path release, String repo, String indexUrl) {
    return real.cli(real.build(release, app, indexUrl, repo, "--output", "json"));
  }

  @Test
  void aClosureErrorFailsWithExit1AndPushesNothing() throws Exception {
    // celery needs click-didyoumean (and more), which are not pinned
    Path release = Releases.write(dir, "closure", "celery==5.6.3", false);
    String repo = real.repository("closure");
    RealEnv.Run run = build(release, repo, real.indexUrl);
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("closure: ")
        .contains("click-didyoumean")
        .contains("pyrelease build: closure check failed:")
        .contains("To fix: pin what is missing")
        .contains("nothing was pushed");
    JsonNode doc = run.json();
    assertThat(doc.path("error").path("kind").asText()).isEqualTo("input");
    assertThat(doc.path("closure").path("ok").asBoolean()).isFalse();
    assertThat(doc.path("closure").path("problems").toString()).contains("click-didyoumean");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void closureIgnoreLetsCeleryBuildWithTheSameMessagesAsCheckAndTheCheckStaysOn() throws Exception {
    String pins =
        "celery==5.6.3\nbilliard==4.3.0\nclick==8.5.0\nclick-plugins==1.1.1.2\nkombu==5.6.2\n"
            + "amqp==5.4.0\nvine==5.1.0\npackaging==26.3\ntzdata==2026.4\n"
            + "python-dateutil==2.9.0.post0\nsix==1.17.0\ntzlocal==5.4.4";
    String ignore =
        "    closure:\n"
            + "      ignore:\n"
            + "        - {name: click-didyoumean, reason: \"CLI suggestions; workers never import"
            + " it\"}\n"
            + "        - {name: click-repl, reason: \"celery shell only\"}\n";
    Path release = Releases.write(dir, "celeryok", pins, false);
    Files.writeString(
        release, Files.readString(release).replace("  index:\n", ignore + "  index:\n"));
    String repo = real.repository("celeryok");
    RealEnv.Run ok = build(release, repo, real.indexUrl);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.err())
        .contains(
            "[assemble] closure (ignored): celery 5.6.3 requires click-didyoumean>=0.3.0, which is"
                + " not pinned; required unconditionally (no marker); the index has no"
                + " click-didyoumean at all \u2014 ignored (spec.requirements.closure.ignore: CLI"
                + " suggestions; workers never import it)");
    assertThat(ok.json().path("closure").path("ok").asBoolean()).isTrue();
    assertThat(ok.json().path("closure").path("ignored").toString())
        .contains("click-didyoumean")
        .contains("click-repl")
        .contains("ignored (spec.requirements.closure.ignore: celery shell only)");

    // redis 8.1.0 on the base's Python 3.11.2 needs async-timeout: still a failure
    Path redis = Releases.write(dir, "celeryredis", pins + "\nredis==8.1.0", false);
    Files.writeString(redis, Files.readString(redis).replace("  index:\n", ignore + "  index:\n"));
    RealEnv.Run bad = build(redis, real.repository("celeryredis"), real.indexUrl);
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
    assertThat(bad.err())
        .contains(
            "closure: redis 8.1.0 requires async-timeout>=4.0.3, which is not pinned; required:"
                + " its marker 'python_full_version < \"3.11.3\"' is true for CPython 3.11.2 on"
                + " Linux; the index has no async-timeout at all");
  }

  @Test
  void aReleaseForAnotherPythonThanTheBasesFailsWithExit1SayingWhatToChange() throws Exception {
    Path release = Releases.write(dir, "py312", "sqlparse==0.6.0", false);
    Files.writeString(
        release, Files.readString(release).replace("version: \"3.11\"", "version: \"3.12\""));
    String repo = real.repository("py312");
    RealEnv.Run run = build(release, repo, real.indexUrl);
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .containsPattern(
            "the base image's interpreter is Python 3\\.11\\.\\d+, the release wants 3\\.12")
        .contains("use a base image with Python 3.12 (spec.python.baseImage, or --base)")
        .contains("or set spec.python.version to \"3.11\"");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void anUnpinnedLineFailsValidationWithItsLocationBeforeAnyStep() throws Exception {
    Path release = Releases.write(dir, "unpinned", "sqlparse==0.6.0\ndjango>=5", false);
    String repo = real.repository("unpinned");
    RealEnv.Run run = build(release, repo, real.indexUrl);
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("spec.requirements.inline:2")
        .contains("django>=5")
        .contains("1 problem(s) found; nothing was built")
        .doesNotContain("[build] 1/3");
    assertThat(run.json().path("problems").toString()).contains("django>=5");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void aHashMismatchFailsWithExit1NamingTheDistribution() throws Exception {
    Path release =
        Releases.write(dir, "hashes", "sqlparse==0.6.0 --hash=sha256:" + "0".repeat(64), true);
    String repo = real.repository("hashes");
    RealEnv.Run run = build(release, repo, real.indexUrl);
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("pyrelease build: venv step: pip wheel: hash mismatch for sqlparse")
        .contains("expected sha256 " + "0".repeat(64));
    assertThat(run.json().path("error").path("kind").asText()).isEqualTo("input");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void anUnreachableIndexFailsWithExit2NamingIt() throws Exception {
    Path release = Releases.write(dir, "noindex", "sqlparse==0.6.0", false);
    String repo = real.repository("noindex");
    int port = RealEnv.closedPort();
    RealEnv.Run run = build(release, repo, "http://127.0.0.1:" + port + "/simple/");
    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "pyrelease build: venv step: index unreachable: http://127.0.0.1:" + port + "/simple/");
    assertThat(run.json().path("error").path("kind").asText()).isEqualTo("environment");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void aStoppedRegistryFailsWithExit2NamingIt() throws Exception {
    Path release = Releases.write(dir, "noregistry", "sqlparse==0.6.0", false);
    int port = RealEnv.closedPort();
    RealEnv.Run run = build(release, "127.0.0.1:" + port + "/it/noregistry", real.indexUrl);
    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("pyrelease build: ").contains("127.0.0.1:" + port);
    assertThat(run.err()).doesNotContain("[venv] building");
    assertThat(run.json().path("error").path("kind").asText()).isEqualTo("environment");
  }

  @Test
  void anUnreachableRunnerFailsWithExit2NamingIt() throws Exception {
    Path release = Releases.write(dir, "norunner", "sqlparse==0.6.0", false);
    String repo = real.repository("norunner");
    java.util.Map<String, String> env = new java.util.HashMap<>(real.env);
    // docker is either not installed or cannot reach this daemon socket
    env.put("DOCKER_HOST", "unix://" + dir.resolve("no-daemon.sock"));
    RealEnv.Run run =
        real.cli(env, real.build(release, app, real.indexUrl, repo, "--runner", "docker"));
    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .containsPattern("pyrelease build: runner docker(: cannot start| could not run)");
    assertThat(real.tags(repo)).isEmpty();
  }
}
