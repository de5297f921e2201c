package dev.pyrelease.index;

import dev.pyrelease.http.Credentials;
import dev.pyrelease.http.Urls;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a release's packages come from: a PEP 503 simple index base URL ({@code pip --index-url})
 * or a list of find-links URLs ({@code pip --no-index --find-links}), plus optional credentials.
 *
 * <p>Credentials embedded in a URL ({@code https://user:pass@host/simple/}) are moved out of it
 * into the credentials; explicit {@link #withBasicAuth}/{@link #withToken} win over those. They are
 * sent as HTTP Basic, only to the origin (scheme, host, port) of the URL they belong to, and never
 * appear in {@link #toString()} or in any exception message.
 */
public final class IndexLocation {
  /** What kind of location this is. */
  public enum Kind {
    SIMPLE,
    FIND_LINKS
  }

  private final Kind kind;
  private final List<URI> urls; // without userinfo
  private final String user; // nullable
  private final String password; // nullable; a token is user "__token__" + password

  private IndexLocation(Kind kind, List<URI> urls, String user, String password) {
    this.kind = kind;
    this.urls = List.copyOf(urls);
    this.user = user;
    this.password = password;
  }

  /** A PEP 503 simple index, e.g. {@code https://pyrepo.internal/simple/}; a slash is appended. */
  public static IndexLocation simple(String url) {
    Objects.requireNonNull(url, "url");
    URI raw = parse(Urls.withSlash(url.trim()));
    String[] cred = userInfo(raw);
    return new IndexLocation(Kind.SIMPLE, List.of(Urls.clean(raw)), cred[0], cred[1]);
  }

  /**
   * Find-links locations: HTML pages listing distribution files, or {@code file://} directories.
   * Credentials in the first URL that carries some are used for all of them (same origin only).
   */
  public static IndexLocation findLinks(List<String> urls) {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("findLinks needs at least one URL");
    }
    List<URI> clean = new ArrayList<>();
    String user = null;
    String password = null;
    for (String u : urls) {
      URI raw = parse(u.trim());
      String[] cred = userInfo(raw);
      if (user == null && cred[0] != null) {
        user = cred[0];
        password = cred[1];
      }
      clean.add(Urls.clean(raw));
    }
    return new IndexLocation(Kind.FIND_LINKS, clean, user, password);
  }

  /** Same location with HTTP Basic credentials. */
  public IndexLocation withBasicAuth(String user, String password) {
    Objects.requireNonNull(user, "user");
    return new IndexLocation(kind, urls, user, password == null ? "" : password);
  }

  /** Same location with an API token, sent as Basic {@code __token__:<token>}. */
  public IndexLocation withToken(String token) {
    Objects.requireNonNull(token, "token");
    return new IndexLocation(kind, urls, "__token__", token);
  }

  public Kind kind() {
    return kind;
  }

  /** The URLs, without credentials. For {@link Kind#SIMPLE} exactly one, ending in a slash. */
  public List<URI> urls() {
    return urls;
  }

  public boolean hasCredentials() {
    return user != null;
  }

  /** The {@code Authorization} header value, or {@code null}. */
  String authorizationHeader() {
    return user == null ? null : Credentials.basic(user, password);
  }

  /** The credentials' scope for the transport: the origins of this location's URLs. */
  Credentials credentials() {
    return target -> mayAuthenticate(target) ? authorizationHeader() : null;
  }

  /** Whether credentials may be sent to {@code target}: same origin as one of the URLs. */
  boolean mayAuthenticate(URI target) {
    if (user == null || !Urls.isHttp(target)) {
      return false;
    }
    for (URI u : urls) {
      if (Urls.sameOrigin(u, target)) {
        return true;
      }
    }
    return false;
  }

  /** How messages name this location: the URL(s), with {@code user:***@} when authenticated. */
  String display() {
    List<String> shown = new ArrayList<>();
    for (URI u : urls) {
      shown.add(displayUrl(u));
    }
    return shown.size() == 1 ? shown.get(0) : shown.toString();
  }

  /** A URL as shown in messages: credentials, if any apply to it, as {@code user:***@}. */
  String displayUrl(URI u) {
    if (user == null || !mayAuthenticate(u)) {
      return Urls.mask(u);
    }
    String who = "__token__".equals(user) ? "" : user + ":";
    String s = u.toString();
    int i = s.indexOf("://");
    return s.substring(0, i + 3) + who + "***@" + s.substring(i + 3);
  }

  @Override
  public String toString() {
    return "IndexLocation["
        + kind.name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + display()
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexLocation other
        && kind == other.kind
        && urls.equals(other.urls)
        && Objects.equals(user, other.user)
        && Objects.equals(password, other.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, urls, user);
  }

  private static URI parse(String s) {
    URI u = Urls.parseLenient(s);
    if (u.getScheme() == null) {
      throw new IllegalArgumentException("not an absolute URL: " + Urls.mask(s));
    }
    if (!Urls.isHttp(u) && !Urls.isFile(u)) {
      throw new IllegalArgumentException(
          "unsupported URL scheme " + u.getScheme() + ": " + Urls.mask(s));
    }
    return u;
  }

  /** {user, password} decoded from the URL's userinfo, or {null, null}. */
  private static String[] userInfo(URI u) {
    String info = u.getUserInfo(); // decoded
    if (info == null || info.isEmpty()) {
      return new String[] {null, null};
    }
    int colon = info.indexOf(':');
    if (colon < 0) {
      return new String[] {info, ""};
    }
    return new String[] {info.substring(0, colon), info.substring(colon + 1)};
  }
}
