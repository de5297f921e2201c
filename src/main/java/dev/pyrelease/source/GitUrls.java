package dev.pyrelease.source;

import dev.pyrelease.http.Digests;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a git URL is (ssh or not), whether it is one at all ({@link #problem}), masking it for
 * messages, and the cache key of a URL. Plain string rules, no JGit: the validator and the CLI use
 * them before any transport exists.
 */
public final class GitUrls {
  /** {@code scheme://[userinfo@]host[:port][/path]}. */
  private static final Pattern SCHEME_URL =
      Pattern.compile(
          "(?i)([a-z][a-z0-9+.-]*)://(?:([^/@\\s?#]*)@)?([^/:\\s?#]*|\\[[^\\]]*])(?::([^/]*))?(/.*)?");

  /**
   * scp-like {@code [user@]host:path} (git's rule: a colon before any slash, and the host not a
   * single letter, which is a Windows drive).
   */
  private static final Pattern SCP_LIKE =
      Pattern.compile("(?:([^@/:\\s]+)@)?([^@/:\\s]{2,}|\\[[^\\]]*]):(.*)");

  private static final Set<String> SSH_SCHEMES = Set.of("ssh", "git+ssh", "ssh+git");
  private static final Set<String> SCHEMES =
      Set.of("https", "http", "ssh", "git+ssh", "ssh+git", "file", "git");

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

  /**
   * Whether {@code url} is reached over ssh: {@code ssh://} (and git's {@code git+ssh://}, {@code
   * ssh+git://}) or scp-like {@code git@host:team/app.git}.
   */
  public static boolean isSsh(String url) {
    if (url == null) {
      return false;
    }
    String u = url.strip();
    Matcher m = SCHEME_URL.matcher(u);
    if (m.matches()) {
      return SSH_SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT));
    }
    return !u.contains("://") && SCP_LIKE.matcher(u).matches();
  }

  /**
   * What is wrong with {@code url} as a git URL, or null when nothing is: the sentence names the
   * URL (masked) and says how to write it. Local paths are not judged here (whether they are
   * allowed is the resolver's setting).
   */
  public static String problem(String url) {
    if (url == null || url.isBlank()) {
      return "no git URL given";
    }
    String u = url.strip();
    String shown = "'" + mask(u) + "'";
    if (!u.equals(url) || u.chars().anyMatch(Character::isWhitespace)) {
      return shown + " has white space in it; give the clone URL alone";
    }
    Matcher m = SCHEME_URL.matcher(u);
    if (m.matches()) {
      String scheme = m.group(1).toLowerCase(Locale.ROOT);
      if (!SCHEMES.contains(scheme)) {
        return shown
            + ": the scheme '"
            + scheme
            + "' is not a git transport; use https://, ssh://, git@host:path or file://";
      }
      if (scheme.equals("file")) {
        return null;
      }
      String host = m.group(3);
      String port = m.group(4);
      String path = m.group(5);
      if (host == null || host.isEmpty()) {
        return shown + " names no host";
      }
      if (port != null && !validPort(port)) {
        return shown + ": the port '" + port + "' is not a number from 1 to 65535";
      }
      if (path == null || path.equals("/")) {
        return shown + " names no repository (e.g. " + scheme + "://" + host + "/team/app.git)";
      }
      return null;
    }
    if (u.contains("://")) {
      return shown + " is not a URL (scheme://host/path)";
    }
    Matcher scp = SCP_LIKE.matcher(u);
    if (scp.matches()) {
      String path = scp.group(3);
      if (path.isEmpty()) {
        return shown + " names no repository after the ':' (e.g. git@host:team/app.git)";
      }
      Matcher portLike = Pattern.compile("(\\d{1,5})(/.*)").matcher(path);
      if (portLike.matches()) {
        // git@host:2222/team/app.git: in scp-like syntax the colon starts the path; git would
        // ask port 22 for the repository "2222/team/app.git"
        String user = scp.group(1) == null ? "" : scp.group(1) + "@";
        return shown
            + ": in git@host:path the ':' starts the path, not a port; for port "
            + portLike.group(1)
            + " write ssh://"
            + user
            + scp.group(2)
            + ":"
            + portLike.group(1)
            + portLike.group(2);
      }
    }
    return null;
  }

  private static boolean validPort(String port) {
    if (!port.matches("\\d{1,5}")) {
      return false;
    }
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535;
  }
}
