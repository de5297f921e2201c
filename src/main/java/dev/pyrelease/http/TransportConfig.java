package dev.pyrelease.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of an {@link HttpTransport}.
 *
 * @param connectTimeout TCP (and TLS) connect timeout
 * @param requestTimeout time allowed until the response headers arrive, per request, unless the
 *     request names its own
 * @param userAgent the {@code User-Agent} header of every request
 * @param insecureTls accept any TLS certificate and host name (insecure registries only)
 * @param attempts how often an idempotent request is sent when the server drops the connection
 *     unanswered (1: never again)
 * @param maxRedirects how many redirects one request follows
 */
public record TransportConfig(
    Duration connectTimeout,
    Duration requestTimeout,
    String userAgent,
    boolean insecureTls,
    int attempts,
    int maxRedirects) {

  public TransportConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(userAgent, "userAgent");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must not be negative");
    }
  }

  /** Verified TLS, 3 attempts, up to 10 redirects. */
  public static TransportConfig of(
      Duration connectTimeout, Duration requestTimeout, String userAgent) {
    return new TransportConfig(connectTimeout, requestTimeout, userAgent, false, 3, 10);
  }

  public TransportConfig withInsecureTls(boolean on) {
    return new TransportConfig(
        connectTimeout, requestTimeout, userAgent, on, attempts, maxRedirects);
  }

  public TransportConfig withConnectTimeout(Duration d) {
    return new TransportConfig(d, requestTimeout, userAgent, insecureTls, attempts, maxRedirects);
  }

  public TransportConfig withRequestTimeout(Duration d) {
    return new TransportConfig(connectTimeout, d, userAgent, insecureTls, attempts, maxRedirects);
  }

  public TransportConfig withUserAgent(String ua) {
    return new TransportConfig(
        connectTimeout, requestTimeout, ua, insecureTls, attempts, maxRedirects);
  }

  public TransportConfig withAttempts(int n) {
    return new TransportConfig(
        connectTimeout, requestTimeout, userAgent, insecureTls, n, maxRedirects);
  }
}
