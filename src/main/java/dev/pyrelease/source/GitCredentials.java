package dev.pyrelease.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials for a git remote: none, a username with a password or token (HTTP basic), or an SSH
 * private key. Immutable. The secret parts never appear in {@link #toString()}, in exception
 * messages or in logs (the git errors scrub the password from what JGit says).
 *
 * <p>Built from a Kubernetes Secret (the keys of {@code spec.source.git.secretRef}: {@code
 * username} and {@code password}, or {@code ssh-privatekey} with {@code known_hosts}), as its
 * base64 {@code data} map ({@link #fromSecretData}), its decoded bytes ({@link #fromDecoded}), or
 * the directory it is mounted at in the build Job's source container and given to the CLI as {@code
 * --git-credentials} ({@link #fromDirectory}). The operator reads the Secret itself (reconciler
 * {@code Credentials}, which names a missing key with the Secret); both readings take a password
 * alone as a token and an ssh key over a password.
 */
public final class GitCredentials {
  /** The kind of credentials. */
  public enum Kind {
    NONE,
    BASIC,
    SSH_KEY
  }

  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String SSH_PRIVATE_KEY = "ssh-privatekey";
  public static final String KNOWN_HOSTS = "known_hosts";

  private static final GitCredentials NONE =
      new GitCredentials(Kind.NONE, null, null, null, null, null);

  private final Kind kind;
  private final String username;
  private final char[] password;
  private final byte[] privateKey;
  private final byte[] knownHosts;
  private final String origin;

  private GitCredentials(
      Kind kind,
      String username,
      char[] password,
      byte[] privateKey,
      byte[] knownHosts,
      String origin) {
    this.kind = kind;
    this.username = username;
    this.password = password;
    this.privateKey = privateKey;
    this.knownHosts = knownHosts;
    this.origin = origin;
  }

  /**
   * These credentials, saying where they came from ({@code Secret shop/git-ssh}, {@code
   * --git-credentials DIR}) for messages that tell which key to fix. Not a secret, not compared.
   */
  public GitCredentials from(String origin) {
    return kind == Kind.NONE
        ? this
        : new GitCredentials(kind, username, password, privateKey, knownHosts, origin);
  }

  /** Where these credentials came from, or null when not said. */
  public String origin() {
    return origin;
  }

  /** {@code key} named with its origin: {@code 'known_hosts' of Secret shop/git-ssh}. */
  public String describeKey(String key) {
    return "'" + key + "'" + (origin == null ? "" : " of " + origin);
  }

  /** No credentials (public repositories, file:// URLs). */
  public static GitCredentials none() {
    return NONE;
  }

  /** HTTP basic: a username and a password or token (for tokens any non-empty username works). */
  public static GitCredentials basic(String username, String password) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("git credentials: the username is empty");
    }
    if (password == null) {
      throw new IllegalArgumentException("git credentials: no password for " + username);
    }
    return new GitCredentials(Kind.BASIC, username, password.toCharArray(), null, null, null);
  }

  /**
   * A Secret's {@code username} and {@code password} as read (either may be absent): neither is
   * {@link #none()}; a password alone is a bare token, sent with the username {@code git} (git
   * hosts take any name with a token).
   */
  public static GitCredentials of(String username, String password) {
    if (username == null && password == null) {
      return none();
    }
    return basic(
        username == null || username.isEmpty() ? "git" : username,
        password == null ? "" : password);
  }

  /**
   * An SSH private key (OpenSSH or PEM text as bytes, unencrypted) and the {@code known_hosts}
   * content the server's host key must be in. A null {@code knownHosts} is kept so that the
   * transport can say which key is missing: the host key is always checked, never skipped.
   */
  public static GitCredentials sshKey(byte[] privateKey, byte[] knownHosts) {
    if (privateKey == null || privateKey.length == 0) {
      throw new IllegalArgumentException("git credentials: the ssh private key is empty");
    }
    return new GitCredentials(
        Kind.SSH_KEY,
        null,
        null,
        privateKey.clone(),
        knownHosts == null ? null : knownHosts.clone(),
        null);
  }

  /**
   * From a Secret's {@code data} (values base64, as the API server returns them; fabric8 {@code
   * Secret.getData()}). Null or empty → {@link #none()}.
   *
   * @throws IllegalArgumentException when the keys make no credentials or a value is not base64;
   *     the message names keys, never values
   */
  public static GitCredentials fromSecretData(Map<String, String> data) {
    if (data == null || data.isEmpty()) {
      return none();
    }
    Map<String, byte[]> decoded = new HashMap<>();
    for (var e : data.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      try {
        decoded.put(e.getKey(), Base64.getDecoder().decode(e.getValue().replaceAll("\\s", "")));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "git credentials: secret key '" + e.getKey() + "' is not valid base64");
      }
    }
    return fromDecoded(decoded);
  }

  /**
   * From decoded Secret values: {@code ssh-privatekey} (with optional {@code known_hosts}) wins
   * over {@code username}/{@code password}; a password without a username is a bare token ({@link
   * #of}), as the operator reads the same Secret. Empty → {@link #none()}.
   */
  public static GitCredentials fromDecoded(Map<String, byte[]> data) {
    if (data == null || data.isEmpty()) {
      return none();
    }
    byte[] key = data.get(SSH_PRIVATE_KEY);
    if (key != null && key.length > 0) {
      return sshKey(key, data.get(KNOWN_HOSTS));
    }
    byte[] user = data.get(USERNAME);
    byte[] pass = data.get(PASSWORD);
    if (pass != null) {
      String u = user == null ? null : new String(user, StandardCharsets.UTF_8).strip();
      // a trailing newline from `echo x | base64` is not part of a token
      String p = stripNewline(new String(pass, StandardCharsets.UTF_8));
      return of(u, p);
    }
    List<String> keys = new ArrayList<>(data.keySet());
    keys.sort(null);
    throw new IllegalArgumentException(
        "git credentials: the secret has keys "
            + keys
            + "; expected 'username' and 'password' (or a token as 'password' alone), or"
            + " 'ssh-privatekey'");
  }

  /**
   * From a mounted Secret volume or a {@code --git-credentials} directory (one file per key); null
   * → {@link #none()}.
   *
   * @throws SourceException INVALID when {@code dir} is not a directory, a file cannot be read, or
   *     the files make no credentials; the message names the directory and the files, never their
   *     content
   */
  public static GitCredentials fromDirectory(Path dir) {
    if (dir == null) {
      return none();
    }
    String where = "--git-credentials " + dir;
    if (!Files.isDirectory(dir)) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          where
              + " is not a directory; give a directory holding the files username and password,"
              + " or ssh-privatekey and known_hosts");
    }
    Map<String, byte[]> data = new HashMap<>();
    for (String k : List.of(USERNAME, PASSWORD, SSH_PRIVATE_KEY, KNOWN_HOSTS)) {
      try {
        data.put(k, Files.readAllBytes(dir.resolve(k)));
      } catch (NoSuchFileException e) {
        // key absent
      } catch (IOException e) {
        throw new SourceException(
            SourceException.Kind.INVALID,
            "git credentials: cannot read '"
                + k
                + "' in "
                + where
                + ": "
                + e.getClass().getSimpleName());
      }
    }
    if (data.isEmpty()) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          where + " holds none of the files username, password, ssh-privatekey, known_hosts");
    }
    try {
      return fromDecoded(data).from(where);
    } catch (IllegalArgumentException e) {
      throw new SourceException(SourceException.Kind.INVALID, e.getMessage() + " (" + where + ")");
    }
  }

  private static String stripNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  public Kind kind() {
    return kind;
  }

  /** The username (BASIC only), not secret. */
  public String username() {
    return username;
  }

  /** The password (BASIC only), a copy. */
  public char[] password() {
    return password == null ? null : password.clone();
  }

  /** The private key (SSH_KEY only), a copy. */
  public byte[] privateKey() {
    return privateKey == null ? null : privateKey.clone();
  }

  /** The known_hosts content (SSH_KEY only, may be null), a copy. */
  public byte[] knownHosts() {
    return knownHosts == null ? null : knownHosts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GitCredentials c
        && kind == c.kind
        && java.util.Objects.equals(username, c.username)
        && Arrays.equals(password, c.password)
        && Arrays.equals(privateKey, c.privateKey)
        && Arrays.equals(knownHosts, c.knownHosts);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, username, Arrays.hashCode(privateKey));
  }

  /** Never shows secrets. */
  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "GitCredentials[none]";
      case BASIC -> "GitCredentials[basic " + username + ":***]";
      case SSH_KEY ->
          "GitCredentials[ssh-key ***" + (knownHosts != null ? ", known_hosts" : "") + "]";
    };
  }
}
