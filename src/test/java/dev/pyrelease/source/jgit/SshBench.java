package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.source.GitCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What git over ssh costs the resolver (bench/ssh.sh; not part of the suite: no *Test name): the
 * median of {@code ROUNDS} ref resolutions (an ls-remote each) of the testenv sshd's repository,
 * against two baselines in the same run: OpenSSH's client with git's own {@code git ls-remote} (a
 * process per call, as a shell script would do it) and JGit over {@code file://} on the same bare
 * repository (no transport). Also the first call in the JVM (class loading, MINA start).
 */
class SshBench {
  static final int ROUNDS = Integer.getInteger("ssh.rounds", 15);

  @TempDir Path tmp;

  @Test
  void lsRemoteOverSsh() throws Exception {
    String url = SshServer.require("PYRELEASE_SSH_REPO_URL");
    Path bare = Path.of(SshServer.require("PYRELEASE_SSH_REPOS"), "team/app.git");
    GitCredentials creds = SshServer.credentials();
    try (JGitResolver resolver = new JGitResolver(tmp.resolve("cache"))) {
      long t0 = System.nanoTime();
      String commit = resolver.resolve(url, "main", creds).commit();
      double first = (System.nanoTime() - t0) / 1e6;

      List<Double> ssh = new ArrayList<>();
      List<Double> file = new ArrayList<>();
      List<Double> openssh = new ArrayList<>();
      String fileUrl = bare.toUri().toString();
      for (int i = 0; i < ROUNDS; i++) {
        ssh.add(
            time(
                () -> assertThat(resolver.resolve(url, "main", creds).commit()).isEqualTo(commit)));
        file.add(time(() -> resolver.resolve(fileUrl, "main", GitCredentials.none())));
        openssh.add(time(() -> gitLsRemote(url)));
      }
      double s = median(ssh);
      double f = median(file);
      double o = median(openssh);
      System.out.printf(
          "ssh bench (%d rounds, medians): first JGit ssh resolve in the JVM %.0f ms; JGit ssh"
              + " %.1f ms; OpenSSH git ls-remote %.1f ms (JGit/OpenSSH %.2f); JGit file:// %.1f ms"
              + " (ssh/file %.1f)%n",
          ROUNDS, first, s, o, s / o, f, s / f);
    }
  }

  private static void gitLsRemote(String url) {
    try {
      ProcessBuilder pb =
          new ProcessBuilder("git", "ls-remote", url, "refs/heads/main").redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put(
          "GIT_SSH_COMMAND",
          "ssh -F /dev/null -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -i "
              + SshServer.credentialsDir().resolve("ssh-privatekey")
              + " -o UserKnownHostsFile="
              + SshServer.credentialsDir().resolve("known_hosts"));
      Process p = pb.start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).isZero();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
