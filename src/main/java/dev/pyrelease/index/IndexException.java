package dev.pyrelease.index;

import dev.pyrelease.http.Urls;

/**
 * A failure talking to a package index. Messages are one line, name the (credential-masked) URL and
 * the cause; they never contain a password or token.
 */
public final class IndexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, so callers can tell user errors from environment errors. */
  public enum Kind {
    /** The project (or find-links entry) is not on the index: a user input problem. */
    NOT_FOUND,
    /**
     * The index cannot be reached or answers with an error: connection refused, DNS, timeout, TLS,
     * HTTP 5xx, HTTP 401/403, a broken file link. An environment problem.
     */
    UNREACHABLE,
    /** A downloaded file or PEP 658 metadata file does not match the hash the index gave. */
    HASH_MISMATCH,
    /** The index answered, but with something unusable (bad archive, no METADATA inside). */
    INVALID
  }

  private final Kind kind;
  private final String url;

  IndexException(Kind kind, String url, String message, Throwable cause) {
    super(Urls.mask(message), cause);
    this.kind = kind;
    this.url = Urls.mask(url);
  }

  IndexException(Kind kind, String url, String message) {
    this(kind, url, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The URL concerned, credentials masked. */
  public String url() {
    return url;
  }
}
