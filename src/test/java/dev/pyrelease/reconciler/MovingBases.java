package dev.pyrelease.reconciler;

import dev.pyrelease.release.BaseDigests;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry of base image tags a test can move, or make unreachable, counting every request: the
 * stand-in for a registry where {@code python:3.11-slim} gets a security patch.
 */
final class MovingBases implements BaseDigests {
  private final Map<String, String> tags = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private volatile boolean down;

  MovingBases tag(String reference, String digest) {
    tags.put(reference, digest);
    return this;
  }

  void down(boolean down) {
    this.down = down;
  }

  /** Requests made for one reference. */
  int asked(String reference) {
    AtomicInteger n = asked.get(reference);
    return n == null ? 0 : n.get();
  }

  @Override
  public String digest(String reference, byte[] dockerConfigJson)
      throws NotFoundException, UnavailableException {
    asked.computeIfAbsent(reference, r -> new AtomicInteger()).incrementAndGet();
    if (down) {
      throw new UnavailableException("connection refused (fake) asking for " + reference, null);
    }
    String d = tags.get(reference);
    if (d == null) {
      throw new NotFoundException("the base image " + reference + " does not exist");
    }
    return d;
  }
}
