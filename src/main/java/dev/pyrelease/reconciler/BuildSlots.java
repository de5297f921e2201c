package dev.pyrelease.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cluster's build capacity, shared by every reconcile: at most {@code limit} build Jobs run at
 * once; a build a user asked for (a spec change) takes a free slot before a rebuild on a moved base
 * image; releases that wait are woken, in order, when a build ends. It also remembers the Jobs it
 * let start until the Job informer shows them, so two reconciles cannot both take the last slot or
 * both start a build of one key.
 *
 * <p>A woken release that no longer needs a build simply does not come back; a periodic nudge wakes
 * the next ones, so a lost wake-up delays a build by seconds, never forever.
 */
public final class BuildSlots implements AutoCloseable {
  /** How long a created Job counts as running before the informer shows it. */
  static final Duration PENDING = Duration.ofSeconds(30);

  /** How long a woken release keeps its place before others may go first. */
  static final Duration WOKEN = Duration.ofSeconds(10);

  static final Duration NUDGE = Duration.ofSeconds(5);

  private record Pending(String buildKey, Instant since) {}

  private final int limit;
  private final Clock clock;
  private final Map<String, Pending> pending = new HashMap<>();
  private final TreeMap<Long, ResourceID> users = new TreeMap<>();
  private final TreeMap<Long, ResourceID> patches = new TreeMap<>();
  private final Map<ResourceID, Long> place = new HashMap<>();
  private final Map<ResourceID, Instant> wokenUsers = new HashMap<>();
  private final Map<String, Set<ResourceID>> joiners = new HashMap<>();
  private long next;
  private int lastRunning;
  private volatile Consumer<ResourceID> wake = id -> {};
  private ScheduledExecutorService nudger;

  /**
   * @param limit build Jobs at once in the cluster; 0: no limit
   */
  public BuildSlots(int limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  void wakeWith(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  public int limit() {
    return limit;
  }

  /**
   * Starts the periodic nudge of waiting releases (a daemon thread); not needed without a limit.
   */
  public synchronized BuildSlots start() {
    if (nudger == null && limit > 0) {
      nudger =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "pyrelease-build-slots");
                t.setDaemon(true);
                return t;
              });
      nudger.scheduleWithFixedDelay(
          this::nudge, NUDGE.toMillis(), NUDGE.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** What {@link #tryStart} decided: start the Job, wait in the queue, or join another's Job. */
  record Decision(boolean start, String join) {
    static final Decision START = new Decision(true, null);
    static final Decision QUEUED = new Decision(false, null);
  }

  /**
   * Takes a slot for a build Job about to be created, or queues the release; when another release's
   * Job for the same key was let start a moment ago (the informer may not show it yet), that Job is
   * to be joined instead. One lock, so two reconciles of one key never both start a build.
   *
   * @param job the Job's {@code namespace/name}
   * @param running the build Jobs the informer shows running ({@code namespace/name})
   * @param basePatch a rebuild on a moved base image (waits behind builds users asked for)
   */
  synchronized Decision tryStart(
      ResourceID who, boolean basePatch, String job, String buildKey, Set<String> running) {
    Instant now = clock.instant();
    pending.entrySet().removeIf(e -> running.contains(e.getKey()) || expired(e.getValue(), now));
    for (var e : pending.entrySet()) {
      if (buildKey.equals(e.getValue().buildKey()) && !e.getKey().equals(job)) {
        leaveQueue(who);
        joiners.computeIfAbsent(buildKey, k -> new HashSet<>()).add(who);
        return new Decision(false, e.getKey());
      }
    }
    Set<String> all = new HashSet<>(running);
    all.addAll(pending.keySet());
    lastRunning = all.size();
    wokenUsers.entrySet().removeIf(e -> !e.getValue().plus(WOKEN).isAfter(now));
    wokenUsers.remove(who);
    boolean usersFirst = basePatch && (!users.isEmpty() || !wokenUsers.isEmpty());
    if (limit > 0 && (all.size() >= limit || usersFirst)) {
      queue(who, basePatch);
      return Decision.QUEUED;
    }
    leaveQueue(who);
    pending.put(job, new Pending(buildKey, now));
    lastRunning++;
    return Decision.START;
  }

  /** The Job could not be created: its slot is free again. */
  synchronized void abandon(String job) {
    pending.remove(job);
  }

  /** The release waits for another release's build of the key. */
  synchronized void join(String buildKey, ResourceID who) {
    leaveQueue(who);
    joiners.computeIfAbsent(buildKey, k -> new HashSet<>()).add(who);
  }

  /** The release needs no build now. */
  synchronized void notWaiting(ResourceID who) {
    leaveQueue(who);
  }

  /**
   * A build Job ended (or was deleted): the releases that joined its key are woken, and so is the
   * next one waiting for a slot.
   */
  void finished(String job, String buildKey) {
    Set<ResourceID> toWake = new HashSet<>();
    synchronized (this) {
      pending.remove(job);
      lastRunning = Math.max(0, lastRunning - 1);
      Set<ResourceID> j = joiners.remove(buildKey);
      if (j != null) {
        toWake.addAll(j);
      }
      toWake.addAll(popWaiting(1));
    }
    toWake.forEach(wake);
  }

  /** Wakes as many waiting releases as there seem to be free slots (at least one). */
  void nudge() {
    Set<ResourceID> toWake;
    synchronized (this) {
      toWake = popWaiting(Math.max(1, limit - lastRunning));
    }
    toWake.forEach(wake);
  }

  /** Releases waiting for a slot: builds users asked for, then rebuilds on a moved base. */
  synchronized int[] waiting() {
    return new int[] {users.size(), patches.size()};
  }

  private Set<ResourceID> popWaiting(int n) {
    Set<ResourceID> out = new HashSet<>();
    Instant now = clock.instant();
    while (out.size() < n && !(users.isEmpty() && patches.isEmpty())) {
      boolean user = !users.isEmpty();
      ResourceID id = (user ? users : patches).pollFirstEntry().getValue();
      if (user) {
        wokenUsers.put(id, now);
      }
      out.add(id);
    }
    return out;
  }

  private void queue(ResourceID who, boolean basePatch) {
    Long p = place.computeIfAbsent(who, w -> next++);
    (basePatch ? users : patches).remove(p);
    (basePatch ? patches : users).put(p, who);
  }

  private void leaveQueue(ResourceID who) {
    Long p = place.remove(who);
    if (p != null) {
      users.remove(p);
      patches.remove(p);
    }
    wokenUsers.remove(who);
  }

  private static boolean expired(Pending p, Instant now) {
    return !p.since().plus(PENDING).isAfter(now);
  }

  @Override
  public synchronized void close() {
    if (nudger != null) {
      nudger.shutdownNow();
      nudger = null;
    }
  }
}
