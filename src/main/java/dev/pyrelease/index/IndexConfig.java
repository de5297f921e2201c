package dev.pyrelease.index;

import dev.pyrelease.http.TransportConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable client settings: the HTTP transport's (timeouts, user agent; validated there) and the
 * index client's own.
 *
 * @param transport connect and request timeouts, user agent, attempts and redirects
 * @param concurrency how many project pages / metadata files are fetched at once by the batch
 *     methods
 * @param rangeRequests whether METADATA is read out of remote wheels with HTTP range requests
 *     (falls back to a full download when the server ignores {@code Range})
 */
public record IndexConfig(TransportConfig transport, int concurrency, boolean rangeRequests) {

  public IndexConfig {
    Objects.requireNonNull(transport, "transport");
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
        TransportConfig.of(
            Duration.ofSeconds(5), Duration.ofSeconds(30), "pyrelease (java.net.http)"),
        6,
        true);
  }

  public Duration connectTimeout() {
    return transport.connectTimeout();
  }

  public Duration requestTimeout() {
    return transport.requestTimeout();
  }

  public String userAgent() {
    return transport.userAgent();
  }

  public IndexConfig withConnectTimeout(Duration d) {
    return new IndexConfig(transport.withConnectTimeout(d), concurrency, rangeRequests);
  }

  public IndexConfig withRequestTimeout(Duration d) {
    return new IndexConfig(transport.withRequestTimeout(d), concurrency, rangeRequests);
  }

  public IndexConfig withConcurrency(int n) {
    return new IndexConfig(transport, n, rangeRequests);
  }

  public IndexConfig withRangeRequests(boolean on) {
    return new IndexConfig(transport, concurrency, on);
  }

  public IndexConfig withUserAgent(String ua) {
    return new IndexConfig(transport.withUserAgent(ua), concurrency, rangeRequests);
  }
}
