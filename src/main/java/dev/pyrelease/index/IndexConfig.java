package dev.pyrelease.index;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable client settings.
 *
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time allowed until the response headers arrive, per request
 * @param concurrency how many project pages / metadata files are fetched at once by the batch
 *     methods
 * @param rangeRequests whether METADATA is read out of remote wheels with HTTP range requests
 *     (falls back to a full download when the server ignores {@code Range})
 * @param userAgent the {@code User-Agent} header
 */
public record IndexConfig(
    Duration connectTimeout,
    Duration requestTimeout,
    int concurrency,
    boolean rangeRequests,
    String userAgent) {

  public IndexConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(userAgent, "userAgent");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("concurrency must be 1..256, got " + concurrency);
    }
  }

  /**
   * 5 s connect, 30 s request, 6 parallel requests, range requests on.
   *
   * <p>Why 6: {@code python -m http.server} (and anything else built on {@code socketserver})
   * listens with a backlog of 5 and closes every connection, so more than 6 simultaneous connects
   * can overflow its accept queue, and a dropped SYN costs a 1 s retransmit: measured, 50 pages
   * took ~1.1 s at 16 in parallel against ~0.15-0.2 s at 4-6.
   */
  public static IndexConfig defaults() {
    return new IndexConfig(
        Duration.ofSeconds(5), Duration.ofSeconds(30), 6, true, "pyrelease (java.net.http)");
  }

  public IndexConfig withConnectTimeout(Duration d) {
    return new IndexConfig(d, requestTimeout, concurrency, rangeRequests, userAgent);
  }

  public IndexConfig withRequestTimeout(Duration d) {
    return new IndexConfig(connectTimeout, d, concurrency, rangeRequests, userAgent);
  }

  public IndexConfig withConcurrency(int n) {
    return new IndexConfig(connectTimeout, requestTimeout, n, rangeRequests, userAgent);
  }

  public IndexConfig withRangeRequests(boolean on) {
    return new IndexConfig(connectTimeout, requestTimeout, concurrency, on, userAgent);
  }

  public IndexConfig withUserAgent(String ua) {
    return new IndexConfig(connectTimeout, requestTimeout, concurrency, rangeRequests, ua);
  }
}
