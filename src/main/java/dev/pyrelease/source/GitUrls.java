package dev.pyrelease.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masking git URLs for messages, and the cache key of a URL. */
public final class GitUrls {
  /** {@code scheme://userinfo@} — the userinfo is masked entirely. */
  private static final Pattern SCHEME_USERINFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/@\\s?#]+)@");

  private GitUrls() {}

  /**
   * {@code url} without credentials: the userinfo of a {@code scheme://} URL becomes {@code ***}
   * (the user name can be a token too). scp-like {@code git@host:path} is shown as is (no password
   * fits there).
   */
  public static String mask(String url) {
    if (url == null) {
      return "<no url>";
    }
    return SCHEME_USERINFO.matcher(url).replaceAll("$1***@");
  }

  /**
   * {@code url} with the userinfo of a {@code scheme://} URL removed, for where a URL is kept
   * rather than shown (an image label): {@code https://tok@host/a.git} is {@code
   * https://host/a.git}.
   */
  public static String withoutUserinfo(String url) {
    return SCHEME_USERINFO.matcher(url).replaceAll("$1");
  }

  /** Masks every URL userinfo in free text, and the given secrets wherever they occur. */
  static String scrub(String text, String url, GitCredentials credentials) {
    if (text == null) {
      return "";
    }
    String out = text;
    if (url != null && !url.isEmpty()) {
      out = out.replace(url, mask(url));
    }
    out = SCHEME_USERINFO.matcher(out).replaceAll("$1***@");
    if (credentials != null) {
      for (String s : credentials.secrets()) {
        out = out.replace(s, "***");
      }
    }
    String embedded = embeddedPassword(url);
    if (embedded != null && embedded.length() >= 3) {
      out = out.replace(embedded, "***");
    }
    return out;
  }

  /** The password of {@code scheme://user:password@host}, or null. */
  static String embeddedPassword(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = SCHEME_USERINFO.matcher(url);
    if (!m.find()) {
      return null;
    }
    String info = m.group(2);
    int colon = info.indexOf(':');
    return colon < 0 ? info : info.substring(colon + 1);
  }

  /**
   * The cache key of a repository: a hash of the masked URL without a trailing {@code /} or {@code
   * .git}, so the same repository with other credentials shares a cache.
   */
  public static String cacheKey(String url) {
    String u = mask(url).strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith(".git")) {
      u = u.substring(0, u.length() - 4);
    }
    u = u.replace("***@", "");
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(u.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
