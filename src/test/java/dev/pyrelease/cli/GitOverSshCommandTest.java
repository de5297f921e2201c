package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.buildjob.StepOptions;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.jgit.SshServer;
import dev.pyrelease.testing.PyHttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with a release whose source is git over ssh, against the test environment's real sshd:
 * {@code check} reads the requirements at the ref and {@code source} (the build Job's first step,
 * with the arguments the Job gives it) checks the commit out, both with {@code --git-credentials
 * DIR} holding {@code ssh-privatekey} and {@code known_hosts}; a refused host key, a key the server
 * does not take and a directory without known_hosts are clear errors with their exit codes.
 */
class GitOverSshCommandTest {
  static PyHttpServer index;
  static String commit;
  static String url;
  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    index = PyHttpServer.start(Path.of("/opt/pypi"));
    Path work = shared.resolve("work");
    Files.createDirectories(work);
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("requirements.txt"), "six==1.17.0\n");
      Files.writeString(work.resolve("app.py"), "print('over ssh')\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      commit = git.commit().setMessage("app").setAuthor(who).setCommitter(who).call().name();
    }
    url = SshServer.url(SshServer.publish(work, "app"));
  }

  @AfterAll
  static void stop() throws Exception {
    index.close();
  }

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new Cli(
                Map.of("PYRELEASE_CACHE_DIR", ""),
                new PrintWriter(out, true),
                new PrintWriter(err, true))
            .run(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path release() throws Exception {
    Path file = dir.resolve("release.yaml");
    Files.writeString(
        file,
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: app}
        spec:
          source: {git: {url: "%s", ref: main}}
          requirements: {file: requirements.txt}
          index: {url: "%s"}
          python: {version: "3.11"}
          image: {repository: registry.internal/app}
          run: {command: [python, app.py]}
        """
            .formatted(url, index.url("simple/")));
    return file;
  }

  private Path credentials(byte[] key, byte[] knownHosts) throws Exception {
    Path d = Files.createTempDirectory(dir, "creds");
    Files.write(d.resolve(GitCredentials.SSH_PRIVATE_KEY), key);
    if (knownHosts != null) {
      Files.write(d.resolve(GitCredentials.KNOWN_HOSTS), knownHosts);
    }
    return d;
  }

  @Test
  void checkReadsTheRequirementsAtTheRefOverSsh() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release().toString(),
            "--git-credentials",
            SshServer.credentialsDir().toString());

    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.err)
        .contains("[source] main of ssh://***@127.0.0.1:" + SshServer.port())
        .contains("is " + commit + ": reading the requirements there");
    assertThat(r.out).contains("ok, 1 requirements pinned, all on the index, closure complete");
  }

  @Test
  void theSourceStepChecksOutTheCommitAsTheBuildJobRunsIt() throws Exception {
    Path checkout = dir.resolve("checkout");
    Run r =
        run(
            "source",
            "-f",
            release().toString(),
            StepOptions.GIT_URL,
            url,
            StepOptions.COMMIT,
            commit,
            StepOptions.GIT_CREDENTIALS,
            SshServer.credentialsDir().toString(),
            StepOptions.SOURCE,
            checkout.toString(),
            StepOptions.WORKSPACE,
            dir.resolve("ws").toString(),
            StepOptions.BASE,
            SshServer.require("PYRELEASE_BASE_IMAGE"),
            StepOptions.TO,
            SshServer.require("PYRELEASE_REGISTRY") + "/ssh/app",
            StepOptions.INSECURE_REGISTRY);

    assertThat(r.err).contains("[source] checking out " + commit);
    assertThat(checkout.resolve("app.py")).hasContent("print('over ssh')");
    assertThat(checkout.resolve("requirements.txt")).hasContent("six==1.17.0");
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out).contains("\"buildKey\"");
  }

  @Test
  void aRefusedHostKeyIsAnEnvironmentErrorNamingTheHostAndTheFile() throws Exception {
    Path creds = credentials(SshServer.privateKey(), SshServer.otherHostKey());

    Run r = run("check", "-f", release().toString(), "--git-credentials", creds.toString());

    assertThat(r.code).isEqualTo(Exit.ENVIRONMENT);
    assertThat(r.err)
        .contains("host key verification failed for [127.0.0.1]:" + SshServer.port())
        .contains("'known_hosts' of --git-credentials " + creds);
    assertNoKeyMaterial(r.out + r.err);
  }

  @Test
  void aKeyTheServerRefusesIsAnAuthenticationError() throws Exception {
    Run r =
        run(
            "check",
            "-f",
            release().toString(),
            "--git-credentials",
            SshServer.wrongKeyDir().toString());

    assertThat(r.code).isEqualTo(Exit.ENVIRONMENT);
    assertThat(r.err).contains("(authentication failed)").contains("server refused ssh-ed25519");
  }

  @Test
  void aDirectoryWithoutKnownHostsIsBadInputNamingTheFile() throws Exception {
    Path creds = credentials(SshServer.privateKey(), null);

    Run r = run("check", "-f", release().toString(), "--git-credentials", creds.toString());

    assertThat(r.code).isEqualTo(Exit.INPUT);
    assertThat(r.err)
        .contains("no 'known_hosts' of --git-credentials " + creds)
        .contains("always checked");
    assertNoKeyMaterial(r.out + r.err);
  }

  private static void assertNoKeyMaterial(String text) throws Exception {
    for (String line : SshServer.keyLines()) {
      assertThat(text).doesNotContain(line);
    }
  }
}
