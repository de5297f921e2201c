package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.fail;

import dev.pyrelease.source.GitCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.eclipse.jgit.api.Git;

/**
 * The test environment's sshd (scripts/testenv: Debian's openssh-server on a loopback port, git's
 * pack commands on repositories under {@code $PYRELEASE_SSH_REPOS}): where it is, its client
 * credentials, and repositories published to it. Read from the environment, never skipped.
 */
public final class SshServer {
  private SshServer() {}

  public static String require(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      fail(
          "environment variable %s is not set: start the test environment with "
              + "`scripts/testenv up && . .testenv/env` (the README's test command does this)",
          name);
    }
    return v;
  }

  public static int port() {
    return Integer.parseInt(require("PYRELEASE_SSHD_PORT"));
  }

  /** {@code ssh://USER@127.0.0.1:PORT/<path>}. */
  public static String url(String path) {
    return "ssh://" + require("PYRELEASE_SSH_USER") + "@127.0.0.1:" + port() + "/" + path;
  }

  /** The client key and known_hosts, laid out as a git Secret's keys (a --git-credentials dir). */
  public static Path credentialsDir() {
    return Path.of(require("PYRELEASE_SSH_CREDENTIALS"));
  }

  /** A key the server does not accept, with the right known_hosts. */
  public static Path wrongKeyDir() {
    return Path.of(require("PYRELEASE_SSH_WRONG_KEY_CREDENTIALS"));
  }

  public static byte[] privateKey() throws IOException {
    return Files.readAllBytes(credentialsDir().resolve(GitCredentials.SSH_PRIVATE_KEY));
  }

  public static byte[] knownHosts() throws IOException {
    return Files.readAllBytes(credentialsDir().resolve(GitCredentials.KNOWN_HOSTS));
  }

  /** The right credentials as the operator reads them from a Secret. */
  public static GitCredentials credentials() throws IOException {
    return GitCredentials.sshKey(privateKey(), knownHosts());
  }

  /**
   * A known_hosts that has another (freshly made) ecdsa key for the server's address and port: the
   * client then asks for the server's ecdsa host key, which is not that one.
   */
  public static byte[] otherHostKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    String line =
        "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(g.generateKeyPair().getPublic());
    return (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Publishes the repository at {@code workTree} (all its branches and tags) as a new bare
   * repository served by the sshd; returns its path below the served root ({@code
   * tests/<random>/NAME.git}).
   */
  public static String publish(Path workTree, String name) throws Exception {
    String rel = "tests/" + UUID.randomUUID() + "/" + name + ".git";
    Path bare = Path.of(require("PYRELEASE_SSH_REPOS")).resolve(rel);
    Files.createDirectories(bare.getParent());
    Git.cloneRepository()
        .setURI(workTree.toUri().toString())
        .setDirectory(bare.toFile())
        .setBare(true)
        .setCloneAllBranches(true)
        .call()
        .close();
    return rel;
  }

  /** Every line of the private key's base64 body: none may appear in any message or log. */
  public static List<String> keyLines() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line :
        new String(privateKey(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      if (!line.startsWith("-----") && line.strip().length() >= 16) {
        out.add(line.strip());
      }
    }
    return out;
  }
}
