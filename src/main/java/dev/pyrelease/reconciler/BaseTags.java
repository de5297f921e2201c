package dev.pyrelease.reconciler;

import dev.pyrelease.http.Digests;
import dev.pyrelease.release.BaseDigests;
import dev.pyrelease.release.BaseImageRef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digests of the base image tags releases build on, shared by every release: a tag (with one
 * set of pull credentials) is asked of the registry when a release first names it, then again once
 * per interval by a background poll — never once per release or per reconcile. When a poll finds a
 * tag moved, or cannot ask, every release using it is reconciled (the {@code wake} callback), which
 * rebuilds or not as its {@code python.baseImageUpdates} says.
 *
 * <p>A reference that names a digest is that digest and is never asked or polled.
 */
public final class BaseTags implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BaseTags.class);

  /** A tag as one set of credentials sees it: the same tag may differ behind two logins. */
  private record Key(String reference, String credentialsId) {}

  /** What is known of one tag; guarded by its own monitor. */
  private static final class Entry {
    byte[] credentials;
    String digest;
    Instant resolvedAt;

    /** The last background check's failure, or null: shown on the status of every user. */
    String problem;

    final Set<ResourceID> users = ConcurrentHashMap.newKeySet();
  }

  private final BaseDigests registry;
  private final Clock clock;
  private final Duration interval;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Map<ResourceID, Key> usedBy = new ConcurrentHashMap<>();

  /** The build image tag ({@code python.buildImage}) each release uses, shared and polled alike. */
  private final Map<ResourceID, Key> buildImageUsedBy = new ConcurrentHashMap<>();

  private final AtomicLong lookups = new AtomicLong();
  private volatile Consumer<ResourceID> wake = id -> {};
  private ScheduledExecutorService poller;

  /**
   * @param interval how often a tag in use is asked again; zero: never (a tag is asked once per
   *     operator start)
   */
  public BaseTags(BaseDigests registry, Clock clock, Duration interval) {
    this.registry = registry;
    this.clock = clock;
    this.interval = interval;
  }

  /** Where a release goes when its tag moved or cannot be checked (the reconciler's trigger). */
  void wakeWith(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** Starts the background poll (a daemon thread), unless the interval is zero. */
  public synchronized BaseTags start() {
    if (poller == null && !interval.isZero()) {
      poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "pyrelease-base-tags");
                t.setDaemon(true);
                return t;
              });
      long ms = interval.toMillis();
      poller.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * The base as keyed for a release: a digest reference as is; a tag from what is known of it,
   * asked of the registry only when no release has named it with these credentials before.
   *
   * @param credentials the pull credentials (a docker config.json), or null: anonymous
   */
  public BaseImageRef resolve(ResourceID release, String reference, byte[] credentials)
      throws BaseDigests.NotFoundException, BaseDigests.UnavailableException {
    return resolve(usedBy, release, reference, credentials);
  }

  /**
   * The build image ({@code python.buildImage}) as keyed for a release, resolved as the base is:
   * one registry request per tag and credentials, polled alike; a moved build image tag wakes its
   * releases too. Null {@code reference}: the release has none (any earlier use is forgotten).
   */
  public BaseImageRef resolveBuildImage(ResourceID release, String reference, byte[] credentials)
      throws BaseDigests.NotFoundException, BaseDigests.UnavailableException {
    if (reference == null) {
      forget(buildImageUsedBy, release);
      return null;
    }
    return resolve(buildImageUsedBy, release, reference, credentials);
  }

  private BaseImageRef resolve(
      Map<ResourceID, Key> uses, ResourceID release, String reference, byte[] credentials)
      throws BaseDigests.NotFoundException, BaseDigests.UnavailableException {
    if (reference.contains("@sha256:")) {
      forget(uses, release);
      return registry.resolve(reference, () -> credentials);
    }
    Key key = new Key(reference, credentials == null ? "anonymous" : Digests.sha256(credentials));
    Entry e = entries.computeIfAbsent(key, k -> new Entry());
    synchronized (e) {
      if (e.digest == null) {
        // first use: concurrent releases wait here for the one request
        lookups.incrementAndGet();
        e.digest = registry.digest(reference, credentials);
        e.resolvedAt = clock.instant();
      }
      e.credentials = credentials;
    }
    Key before = uses.put(release, key);
    if (before != null && !before.equals(key)) {
      Entry old = entries.get(before);
      if (old != null) {
        old.users.remove(release);
      }
    }
    e.users.add(release);
    return new BaseImageRef(reference, e.digest);
  }

  /**
   * Why the last check of the tag a release uses failed (the digest it keeps using is the last one
   * known), or null.
   */
  public String problem(ResourceID release) {
    Key key = usedBy.get(release);
    Entry e = key == null ? null : entries.get(key);
    if (e == null) {
      return null;
    }
    synchronized (e) {
      return e.problem;
    }
  }

  /** The release no longer builds on a tag. */
  public void forget(ResourceID release) {
    forget(usedBy, release);
  }

  private void forget(Map<ResourceID, Key> uses, ResourceID release) {
    Key key = uses.remove(release);
    Entry e = key == null ? null : entries.get(key);
    if (e != null) {
      e.users.remove(release);
    }
  }

  /**
   * Asks the registry once for every tag in use and wakes the users of those that moved, or whose
   * check failed or recovered. The background poll calls it once per interval.
   *
   * @return how many tags moved
   */
  public int poll() {
    int moved = 0;
    for (var item : List.copyOf(entries.entrySet())) {
      Entry e = item.getValue();
      if (e.users.isEmpty()) {
        continue; // no release builds on it now; kept, it is a few bytes
      }
      String reference = item.getKey().reference();
      boolean changed;
      synchronized (e) {
        String before = e.digest;
        String problemBefore = e.problem;
        try {
          lookups.incrementAndGet();
          e.digest = registry.digest(reference, e.credentials);
          e.resolvedAt = clock.instant();
          e.problem = null;
        } catch (BaseDigests.NotFoundException | BaseDigests.UnavailableException ex) {
          e.problem =
              "the base image tag could not be checked again: "
                  + ex.getMessage()
                  + "; builds keep the digest found before, "
                  + before;
        }
        if (before != null && !before.equals(e.digest)) {
          moved++;
          log.info(
              "base image {} moved from {} to {}: {} releases use it",
              reference,
              before,
              e.digest,
              e.users.size());
        }
        changed =
            !java.util.Objects.equals(before, e.digest)
                || !java.util.Objects.equals(problemBefore, e.problem);
      }
      if (changed) {
        new HashSet<>(e.users).forEach(wake);
      }
    }
    return moved;
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      // the next poll tries again; the scheduler would stop on a thrown exception
      log.warn("checking base image tags failed: {}", e.toString());
    }
  }

  /** Registry requests made for tags so far (first uses and polls). */
  public long lookups() {
    return lookups.get();
  }

  /** Distinct tags (per credentials) in use. */
  public int tags() {
    return (int) entries.values().stream().filter(e -> !e.users.isEmpty()).count();
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }
}
