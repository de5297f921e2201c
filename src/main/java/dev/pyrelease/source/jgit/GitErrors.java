package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/**
 * JGit failures as {@link SourceException}s whose messages are safe to show: the URL masked, the
 * password (given, or embedded in the URL) scrubbed from whatever JGit said, and no cause kept,
 * since JGit's exceptions may hold the URL with its credentials.
 */
final class GitErrors {
  private static final Pattern AUTH_FAILURE =
      Pattern.compile(
          "(?i)not authorized|authentication is required|auth fail|authentication failed"
              + "|not permitted|\\b401\\b|\\b403\\b|forbidden|unauthorized|no credentialsprovider"
              // JGit's ssh client: the server took none of the keys offered
              + "|cannot log in at|no more authentication methods");

  /** JGit prefixes its messages with the URI ("uri: what"); our message names it already. */
  private static final Pattern URL_PREFIX =
      Pattern.compile("^(?:[A-Za-z][A-Za-z0-9+.-]*://|/)\\S*: ");

  /** Shorter secrets are not scrubbed: replacing "ab" everywhere would garble the message. */
  private static final int MIN_SECRET_LENGTH = 3;

  private GitErrors() {}

  /**
   * {@code e}, raised while doing {@code action} ("cannot fetch from") on {@code url}, as
   * UNAUTHORIZED (the server refused or wanted credentials) or else UNREACHABLE.
   */
  static SourceException classify(
      Throwable e, String action, String url, GitCredentials credentials) {
    StringBuilder chain = new StringBuilder();
    boolean noRepo = false;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      noRepo |= t instanceof NoRemoteRepositoryException;
      if (t.getMessage() != null) {
        chain.append(t.getMessage()).append(" | ");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    boolean unauthorized = AUTH_FAILURE.matcher(chain).find();
    String detail =
        stripUrlPrefix(
            scrub(
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                url,
                credentials));
    if (root != e) {
      String rootMessage =
          root.getMessage() == null
              ? ""
              : stripUrlPrefix(scrub(root.getMessage(), url, credentials));
      if (rootMessage.isEmpty() || !detail.contains(rootMessage)) {
        detail =
            detail
                + " ("
                + root.getClass().getSimpleName()
                + (rootMessage.isEmpty() ? "" : ": " + rootMessage)
                + ")";
      }
    }
    // JGit's ssh client reports one line per authentication attempt: one line in a condition
    detail = detail.strip().replaceAll("\\s*\\R\\s*", "; ");
    String message =
        action
            + " "
            + GitUrls.mask(url)
            + (unauthorized ? " (authentication failed)" : "")
            + (noRepo ? " (no repository there)" : "")
            + ": "
            + detail;
    SourceException out =
        new SourceException(
            unauthorized ? SourceException.Kind.UNAUTHORIZED : SourceException.Kind.UNREACHABLE,
            message);
    out.setStackTrace(e.getStackTrace());
    return out;
  }

  /**
   * Whether the server could not be reached at all (no host, no connection, a timeout, no
   * repository there), as opposed to a request it refused: another request is no use then.
   */
  static boolean connectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException
          || t instanceof ConnectException
          || t instanceof SocketTimeoutException
          || t instanceof NoRouteToHostException
          || t instanceof NoRemoteRepositoryException) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code text} with the URL masked, every other URL userinfo masked, and the password (given, or
   * embedded in the URL) replaced by {@code ***} wherever it occurs.
   */
  static String scrub(String text, String url, GitCredentials credentials) {
    if (text == null) {
      return "";
    }
    String out = text;
    if (url != null && !url.isEmpty()) {
      out = out.replace(url, GitUrls.mask(url));
    }
    out = GitUrls.mask(out);
    char[] password = credentials == null ? null : credentials.password();
    if (password != null && password.length >= MIN_SECRET_LENGTH) {
      out = out.replace(new String(password), "***");
    }
    String embedded = embeddedPassword(url);
    if (embedded != null && embedded.length() >= MIN_SECRET_LENGTH) {
      out = out.replace(embedded, "***");
    }
    return out;
  }

  /** The password of {@code scheme://user:password@host} (the whole userinfo without a colon). */
  static String embeddedPassword(String url) {
    String info = GitUrls.userinfo(url);
    if (info == null) {
      return null;
    }
    int colon = info.indexOf(':');
    return colon < 0 ? info : info.substring(colon + 1);
  }

  private static String stripUrlPrefix(String text) {
    String out = text;
    Matcher m;
    while ((m = URL_PREFIX.matcher(out)).find()) {
      out = out.substring(m.end());
    }
    return out;
  }
}
