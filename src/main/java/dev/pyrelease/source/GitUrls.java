package dev.pyrelease.source;

import dev.pyrelease.http.Digests;
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

  /**
   * The userinfo of a {@code scheme://userinfo@host} URL ({@code user:password}, or a bare token),
   * or null.
   */
  public static String userinfo(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = SCHEME_USERINFO.matcher(url);
    return m.find() ? m.group(2) : null;
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
    // the first 16 bytes: a directory name, not a content check
    return Digests.sha256(u).substring(0, 32);
  }
}
