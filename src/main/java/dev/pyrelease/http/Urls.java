package dev.pyrelease.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** URL helpers: credential masking, lenient parsing, origin checks. */
public final class Urls {
  /** {@code scheme://user:password@} or {@code scheme://token@}. */
  private static final Pattern USERINFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@\\s:?#]*)(:[^/@\\s?#]*)?@");

  private Urls() {}

  /**
   * Masks credentials in every URL of {@code text}: {@code https://user:pass@h/} becomes {@code
   * https://user:***@h/}, a bare {@code https://token@h/} becomes {@code https://***@h/}.
   */
  public static String mask(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    var m = USERINFO.matcher(text);
    var sb = new StringBuilder();
    while (m.find()) {
      String replacement =
          m.group(3) == null ? m.group(1) + "***@" : m.group(1) + m.group(2) + ":***@";
      m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  public static String mask(URI uri) {
    return uri == null ? "null" : mask(uri.toString());
  }

  /** Parses a URL, percent-encoding characters that {@link URI} rejects (spaces, non-ASCII). */
  public static URI parseLenient(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      var sb = new StringBuilder();
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^'
            || c == '`' || c == '{' || c == '|' || c == '}') {
          sb.append('%').append(String.format("%02X", c));
        } else {
          sb.append((char) c);
        }
      }
      try {
        return new URI(sb.toString());
      } catch (URISyntaxException e2) {
        throw new IllegalArgumentException("not a URL: " + mask(s));
      }
    }
  }

  /** The URI without user info and fragment, raw (percent-encoded) components kept as they are. */
  public static URI clean(URI uri) {
    if (uri.isOpaque()) {
      return uri;
    }
    if (isFile(uri)) { // always file:///path (URI.normalize() would turn it into file:/path)
      try {
        return new URI("file://" + uri.normalize().getRawPath());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a URL: " + mask(uri));
      }
    }
    if (uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
      return uri.normalize();
    }
    StringBuilder sb = new StringBuilder();
    sb.append(uri.getScheme()).append("://");
    if (uri.getHost() != null) {
      sb.append(uri.getHost());
      if (uri.getPort() >= 0) {
        sb.append(':').append(uri.getPort());
      }
    }
    sb.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      sb.append('?').append(uri.getRawQuery());
    }
    try {
      return new URI(sb.toString()).normalize();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + mask(uri));
    }
  }

  /** Same scheme, host and effective port. */
  public static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(Objects.requireNonNullElse(b.getScheme(), ""))
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(Objects.requireNonNullElse(b.getHost(), ""))
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  public static boolean isFile(URI u) {
    return "file".equalsIgnoreCase(u.getScheme());
  }

  public static boolean isHttp(URI u) {
    String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    return s.equals("http") || s.equals("https");
  }

  /** Last path segment, percent-decoded ({@code %2B} becomes {@code +}). */
  public static String filename(URI u) {
    String p = u.getRawPath();
    if (p == null) {
      return "";
    }
    int slash = p.lastIndexOf('/');
    String seg = p.substring(slash + 1);
    return URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code url} with a trailing slash. */
  public static String withSlash(String url) {
    return url.endsWith("/") ? url : url + "/";
  }
}
