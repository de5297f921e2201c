package dev.pyrelease.reconciler;

import java.time.Duration;

/**
 * How transient failures are retried: from 200 ms, doubling, capped at a minute, without giving up.
 * One value for JOSDK's retry (the operator's wiring builds it from this) and for the status
 * message that says when the next attempt comes.
 */
public record Backoff(Duration initial, double multiplier, Duration max) {
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(200), 2, Duration.ofMinutes(1));

  /** The delay before the attempt after {@code attempt} failed ones (1-based). */
  public Duration after(int attempt) {
    double ms = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return ms >= max.toMillis() ? max : Duration.ofMillis((long) ms);
  }
}
