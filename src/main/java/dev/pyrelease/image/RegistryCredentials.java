package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Registry credentials by host, read from a docker {@code config.json} ({@code auths.<host>.auth} =
 * base64 of {@code user:password}, or {@code auths.<host>.username} and {@code .password}). Keys
 * may be bare hosts ({@code registry.internal:5000}) or URLs ({@code https://index.docker.io/v1/}).
 * Secrets never appear in {@link #toString()} or messages.
 */
public final class RegistryCredentials {

  /**
   * A username and password. {@link #toString()} shows the username only.
   *
   * @param username the user
   * @param password the password or token
   */
  public record Credential(String username, String password) {
    @Override
    public String toString() {
      return "Credential[" + username + ", ****]";
    }
  }

  private static final RegistryCredentials NONE = new RegistryCredentials(Map.of());

  private final Map<String, Credential> byHost;

  private RegistryCredentials(Map<String, Credential> byHost) {
    this.byHost = Map.copyOf(byHost);
  }

  /** No credentials (anonymous access). */
  public static RegistryCredentials none() {
    return NONE;
  }

  /** Credentials for exactly one registry host. */
  public static RegistryCredentials of(String registry, String username, String password) {
    return new RegistryCredentials(Map.of(hostOf(registry), new Credential(username, password)));
  }

  /**
   * Reads a docker {@code config.json}. Entries without usable credentials (e.g. only {@code
   * identitytoken}, or credential helpers) are ignored.
   *
   * @throws UncheckedIOException when the file cannot be read or is not JSON (the message names the
   *     file only)
   */
  public static RegistryCredentials fromDockerConfig(Path configJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(configJson.toFile());
    } catch (IOException e) {
      // the parser's message may quote the file's content: do not pass it on
      throw new UncheckedIOException(
          new IOException("cannot read registry credentials file " + configJson));
    }
    return fromDockerConfig(root);
  }

  /**
   * A docker {@code config.json}'s content (e.g. a {@code kubernetes.io/dockerconfigjson}
   * Secret's); what is not JSON gives no credentials (a parser's message would quote the secret).
   */
  public static RegistryCredentials fromDockerConfigJson(byte[] configJson) {
    try {
      return fromDockerConfig(new ObjectMapper().readTree(configJson));
    } catch (IOException e) {
      return NONE;
    }
  }

  private static RegistryCredentials fromDockerConfig(JsonNode root) {
    Map<String, Credential> out = new TreeMap<>();
    JsonNode auths = root == null ? null : root.get("auths");
    if (auths != null && auths.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        credentialOf(e.getValue()).ifPresent(c -> out.putIfAbsent(hostOf(e.getKey()), c));
      }
    }
    return new RegistryCredentials(out);
  }

  /** The credential for a registry host ({@code host[:port]}), if any. */
  public Optional<Credential> forRegistry(String registry) {
    String host = hostOf(registry);
    Credential c = byHost.get(host);
    if (c == null && (host.equals("docker.io") || host.equals("registry-1.docker.io"))) {
      c = byHost.get("index.docker.io");
    }
    return Optional.ofNullable(c);
  }

  /** Whether there are no credentials at all. */
  public boolean isEmpty() {
    return byHost.isEmpty();
  }

  @Override
  public String toString() {
    return "RegistryCredentials" + byHost.keySet();
  }

  private static Optional<Credential> credentialOf(JsonNode entry) {
    if (entry == null || !entry.isObject()) {
      return Optional.empty();
    }
    JsonNode auth = entry.get("auth");
    if (auth != null && auth.isTextual() && !auth.asText().isBlank()) {
      String decoded;
      try {
        decoded =
            new String(Base64.getDecoder().decode(auth.asText().trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        return Optional.of(
            new Credential(decoded.substring(0, colon), decoded.substring(colon + 1)));
      }
      return Optional.empty();
    }
    JsonNode user = entry.get("username");
    JsonNode pass = entry.get("password");
    if (user != null && pass != null && user.isTextual() && pass.isTextual()) {
      return Optional.of(new Credential(user.asText(), pass.asText()));
    }
    return Optional.empty();
  }

  /** {@code https://host:port/v1/} and {@code host:port} both become {@code host:port}. */
  static String hostOf(String key) {
    String k = key.trim();
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return k.toLowerCase(Locale.ROOT);
  }
}
