package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The fleet benchmark of issue 18 (not part of the test suite: its name does not end in Test). Run
 * it with {@code bench/fleet.sh} or {@code mvn -B -q -o test -Dtest=FleetBench
 * -Dfleet.releases=200,500}; settings are system properties (see {@link Settings}). For each fleet
 * size, on a fresh mock API server: a warm release with two revisions; rollbacks sampled idle (the
 * baseline); N releases created at once; a fleet-wide ref change (v1 → v2) with rollbacks of the
 * warm release sampled throughout; then restarts of the operator. Each phase prints time to all
 * Ready, the operator's CPU per release, its API requests per release, git requests per release,
 * build Jobs per distinct build key and stuck releases; the report is also appended to {@code
 * target/fleet-bench.txt}.
 *
 * <p>Add a scenario: a method here that takes a {@link FleetHarness} (its operator started and its
 * fleet Ready), changes something ({@link FleetHarness#editAll}, a new ref in {@code harness.git}),
 * and measures it with {@link #phase}.
 */
class FleetBench {
  /** Benchmark settings, from system properties ({@code -Dfleet.releases=200,500}, ...). */
  record Settings(
      List<Integer> sizes,
      int namespaces,
      long gitLatencyMillis,
      long buildMillis,
      int threads,
      int restarts,
      long timeoutMillis,
      long rollbackEveryMillis) {
    static Settings fromSystem() {
      List<Integer> sizes = new ArrayList<>();
      for (String s : System.getProperty("fleet.releases", "200,500").split(",")) {
        sizes.add(Integer.parseInt(s.trim()));
      }
      return new Settings(
          sizes,
          Integer.getInteger("fleet.namespaces", 10),
          Long.getLong("fleet.gitLatencyMs", 20),
          Long.getLong("fleet.buildMs", 200),
          Integer.getInteger("fleet.threads", 10),
          Integer.getInteger("fleet.restarts", 2),
          Long.getLong("fleet.timeoutS", 900) * 1000,
          Long.getLong("fleet.rollbackEveryMs", 200));
    }
  }

  private final Settings settings = Settings.fromSystem();
  private final StringBuilder report = new StringBuilder();

  @Test
  void fleet() throws Exception {
    // the operator's per-release INFO lines would dominate the run's CPU and output
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    line(
        "fleet benchmark: sizes %s, %d namespaces, git latency %d ms, build %d ms, %d reconcile"
            + " threads, %d restarts",
        settings.sizes(),
        settings.namespaces(),
        settings.gitLatencyMillis(),
        settings.buildMillis(),
        settings.threads(),
        settings.restarts());
    line("load before: %s", uptime());
    int stuck = 0;
    for (int n : settings.sizes()) {
      stuck += run(n);
    }
    line("load after: %s", uptime());
    Path out = Path.of("target", "fleet-bench.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    assertThat(stuck).as("releases that never got Ready").isZero();
  }

  /** One fleet size on a fresh cluster; returns how many releases got stuck. */
  private int run(int n) throws Exception {
    line("");
    line("== %d releases ==", n);
    try (FleetHarness h =
        new FleetHarness(settings.gitLatencyMillis(), settings.buildMillis(), settings.threads())) {
      h.startOperator();
      h.warmRelease();
      List<Long> idle = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        idle.add(h.rollback());
      }
      line("warm rollback, idle: %s", stats(idle));

      List<String> fleet = new ArrayList<>();
      int stuck =
          phase(
              h,
              "create",
              n,
              () -> fleet.addAll(h.createFleet(n, settings.namespaces())),
              fleet,
              FleetHarness.commitOf("v1"),
              null);
      line("series in /metrics: %d", series(h.scrape()));
      List<Long> underLoad = Collections.synchronizedList(new ArrayList<>());
      stuck +=
          phase(
              h,
              "fleet-wide ref change",
              n,
              () -> h.editAll(fleet, s -> s.getSource().getGit().setRef("v2")),
              fleet,
              FleetHarness.commitOf("v2"),
              underLoad);
      line(
          "warm rollback during the fleet change: %s; p50 vs idle p50: %.1fx",
          stats(underLoad), (double) percentile(underLoad, 50) / Math.max(1, percentile(idle, 50)));
      line("series in /metrics: %d", series(h.scrape()));
      for (int i = 1; i <= settings.restarts(); i++) {
        stuck += restart(h, n, fleet, i);
      }
      return stuck;
    }
  }

  /**
   * Runs {@code change} and waits for every release to serve {@code commit}; prints what it cost.
   * With {@code rollbacks} non-null, the warm release is rolled back every {@code
   * fleet.rollbackEveryMs} until the fleet is Ready, and the latencies collected there.
   */
  int phase(
      FleetHarness h,
      String name,
      int n,
      Runnable change,
      List<String> fleet,
      String commit,
      List<Long> rollbacks)
      throws InterruptedException {
    FleetMeter.Snapshot before = h.meter.snapshot();
    long git = h.git.requests();
    long resolves = h.git.resolves.get();
    long trees = h.git.trees.get();
    int jobsBefore = h.buildJobs.size();
    java.util.Set<String> keysBefore = new java.util.HashSet<>(h.buildJobs.values());
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = null;
    if (rollbacks != null) {
      sampler =
          h.meter
              .threads("rollback")
              .newThread(
                  () -> {
                    while (!done.get()) {
                      rollbacks.add(h.rollback());
                      FleetHarness.sleep(settings.rollbackEveryMillis());
                    }
                  });
      sampler.start();
    }
    long start = System.nanoTime();
    change.run();
    List<String> stuck = h.awaitAll(fleet, FleetHarness.readyAt(commit), settings.timeoutMillis());
    long millis = (System.nanoTime() - start) / 1_000_000;
    done.set(true);
    if (sampler != null) {
      sampler.join();
    }
    FleetMeter.Snapshot d = h.meter.snapshot().minus(before);
    java.util.Map<String, Long> jobs = new java.util.HashMap<>();
    h.buildJobs.values().stream().skip(0).forEach(k -> jobs.merge(k, 1L, Long::sum));
    int newJobs = h.buildJobs.size() - jobsBefore;
    long newKeys = jobs.keySet().stream().filter(k -> !keysBefore.contains(k)).count();
    line(
        "%s: all Ready in %d ms; operator CPU %d ms/release; requests/release %.2f (reads %.2f,"
            + " writes %.2f, events %.2f, watches %d); git requests/release %.2f (ls-remote %d,"
            + " tree %d); build Jobs %d for %d new build keys (%.1f per key); stuck %d",
        name,
        millis,
        d.operatorCpuMillis() / n,
        (double) d.requests() / n,
        (double) d.reads() / n,
        (double) d.writes() / n,
        (double) d.events() / n,
        d.watches(),
        (double) (h.git.requests() - git) / n,
        h.git.resolves.get() - resolves,
        h.git.trees.get() - trees,
        newJobs,
        newKeys,
        newKeys == 0 ? 0.0 : (double) newJobs / newKeys,
        stuck.size());
    stuck.stream().limit(5).forEach(k -> line("  stuck: %s", h.describe(k)));
    // steady state: with the fleet Ready, the operator writes nothing
    FleetMeter.Snapshot quiet = h.meter.snapshot();
    FleetHarness.sleep(3000);
    FleetMeter.Snapshot after = h.meter.snapshot().minus(quiet);
    line(
        "  then 3 s of steady state: %d writes, %d events, %d reads",
        after.writes(), after.events(), after.reads());
    return stuck.size();
  }

  /** Restarts the operator with the fleet Ready: what the new one asks and writes. */
  private int restart(FleetHarness h, int n, List<String> fleet, int i) {
    FleetMeter.Snapshot before = h.meter.snapshot();
    long git = h.git.requests();
    long start = System.nanoTime();
    h.restartOperator();
    long ready = (System.nanoTime() - start) / 1_000_000;
    // settled: neither an API request (but watches) nor a git request for 2 s (at most 120 s)
    long until = System.currentTimeMillis() + 120_000;
    while (quiet(h) < 2000 && System.currentTimeMillis() < until) {
      FleetHarness.sleep(100);
    }
    long settled = (System.nanoTime() - start) / 1_000_000 - quiet(h);
    FleetMeter.Snapshot d = h.meter.snapshot().minus(before);
    List<String> stuck = h.awaitAll(fleet, FleetHarness.readyAt(FleetHarness.commitOf("v2")), 0);
    line(
        "restart %d: ready in %d ms, settled in %d ms; operator CPU %d ms/release;"
            + " requests/release %.2f (reads %.2f, writes %.2f, events %.2f, watches %d);"
            + " git requests/release %.2f; stuck %d",
        i,
        ready,
        Math.max(ready, settled),
        d.operatorCpuMillis() / n,
        (double) d.requests() / n,
        (double) d.reads() / n,
        (double) d.writes() / n,
        (double) d.events() / n,
        d.watches(),
        (double) (h.git.requests() - git) / n,
        stuck.size());
    return stuck.size();
  }

  private static long quiet(FleetHarness h) {
    return Math.min(h.meter.quietMillis(), h.git.quietMillis());
  }

  static String stats(List<Long> samples) {
    if (samples.isEmpty()) {
      return "no samples";
    }
    return String.format(
        Locale.ROOT,
        "%d samples, p50 %d ms, p90 %d ms, max %d ms",
        samples.size(),
        percentile(samples, 50),
        percentile(samples, 90),
        Collections.max(samples));
  }

  static long percentile(List<Long> samples, int p) {
    if (samples.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** The number of series (sample lines) in a Prometheus scrape. */
  static long series(String scrape) {
    return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }

  private static String uptime() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private void line(String format, Object... args) {
    String s = String.format(Locale.ROOT, format, args);
    System.out.println(s);
    report.append(s).append('\n');
  }
}
