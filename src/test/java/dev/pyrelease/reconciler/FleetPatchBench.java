package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The fleet-patching benchmark of issue 15 on the fleet harness of issue 18 ({@link FleetHarness}:
 * the real operator, fabric8's mock API server, a fake kubelet). Not part of the suite (its name
 * does not end in Test): {@code bench/fleet-patch.sh -Dfleet.releases=50,200}.
 *
 * <p>For each size N and two fleets — N releases of one build key (one app promoted through many
 * namespaces, or a monorepo's services of one image) and N releases of N keys — on one base image
 * tag: the fleet Ready, a user's build timed while idle, then the tag moves and the operator's poll
 * runs once; measured: time until every release serves a revision on the new digest, registry
 * requests for the tag, build Jobs started and the most running at once (limit {@code
 * PYRELEASE_MAX_CONCURRENT_BUILDS}, default 10), and a user's build started during the patch
 * against the idle one.
 */
class FleetPatchBench {
  private final FleetBench.Settings settings = FleetBench.Settings.fromSystem();
  private final StringBuilder report = new StringBuilder();

  @Test
  void fleetPatch() throws Exception {
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    line(
        "fleet patch benchmark: sizes %s, %d namespaces, git latency %d ms, build %d ms, %d"
            + " reconcile threads, build limit 10",
        settings.sizes(),
        settings.namespaces(),
        settings.gitLatencyMillis(),
        settings.buildMillis(),
        settings.threads());
    line("load before: %s", load());
    int stuck = 0;
    for (int n : settings.sizes()) {
      stuck += run(n, false);
      stuck += run(n, true);
    }
    line("load after: %s", load());
    Path out = Path.of("target", "fleet-patch-bench.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    assertThat(stuck).as("releases that never served the new base").isZero();
  }

  private int run(int n, boolean keyPerRelease) {
    line("");
    line("== %d releases, %s ==", n, keyPerRelease ? n + " build keys" : "one build key");
    try (FleetHarness h =
        new FleetHarness(settings.gitLatencyMillis(), settings.buildMillis(), settings.threads())) {
      h.startOperator();
      h.kube.namespace("user");
      PythonRelease user = FleetHarness.release("user", "app", "v1");
      user.getSpec().getIndex().setUrl("https://pyrepo.test/user/simple/");
      h.kube.create(user);
      List<String> userKey = List.of("user/app");
      List<String> fleet =
          h.createFleet(
              n,
              settings.namespaces(),
              r -> {
                if (keyPerRelease) {
                  r.getSpec()
                      .getIndex()
                      .setUrl("https://pyrepo.test/" + r.getMetadata().getName() + "/simple/");
                }
              });
      List<String> notReady =
          h.awaitAll(
              concat(fleet, userKey),
              FleetHarness.readyAt(FleetHarness.commitOf("v1")),
              settings.timeoutMillis());
      if (!notReady.isEmpty()) {
        line("fleet not Ready: %d, e.g. %s", notReady.size(), h.describe(notReady.get(0)));
        return notReady.size();
      }
      long idleUser = userBuild(h, "v2");
      line("a user's build (spec change → Ready), idle: %d ms", idleUser);

      FleetMeter.Snapshot before = h.meter.snapshot();
      int asked = h.bases.asked(FleetHarness.BASE_TAG);
      int jobs = h.buildJobs.size();
      h.maxRunningBuilds.set(h.runningBuilds.get());
      String moved = OperatorTestBase.digest('2');
      h.bases.tag(FleetHarness.BASE_TAG, moved);
      long start = System.nanoTime();
      int tags = h.pollBaseTags();
      long userDuring = userBuild(h, "w1");
      List<String> stuck = h.awaitAll(fleet, servesBase(moved), settings.timeoutMillis());
      long millis = (System.nanoTime() - start) / 1_000_000;
      FleetMeter.Snapshot d = h.meter.snapshot().minus(before);
      int started = h.buildJobs.size() - jobs;
      line(
          "tag moved (%d tag): all %d serve the new base in %d ms; registry requests for the tag"
              + " %d (for %d releases); build Jobs started %d (the user's included), at most %d"
              + " at once; operator CPU %d ms/release; API requests/release %.2f; stuck %d",
          tags,
          n,
          millis,
          h.bases.asked(FleetHarness.BASE_TAG) - asked,
          n + 1,
          started,
          h.maxRunningBuilds.get(),
          d.operatorCpuMillis() / n,
          (double) d.requests() / n,
          stuck.size());
      line(
          "a user's build during the patch: %d ms (%.1fx idle)",
          userDuring, (double) userDuring / Math.max(1, idleUser));
      stuck.stream().limit(5).forEach(k -> line("  stuck: %s", h.describe(k)));
      return stuck.size();
    }
  }

  /** Changes the user release's ref and waits until it serves it: milliseconds. */
  private long userBuild(FleetHarness h, String ref) {
    long start = System.nanoTime();
    h.kube.editSpec("user", "app", s -> s.getSource().getGit().setRef(ref));
    List<String> stuck =
        h.awaitAll(
            List.of("user/app"),
            FleetHarness.readyAt(FleetHarness.commitOf(ref)),
            settings.timeoutMillis());
    if (!stuck.isEmpty()) {
      line("  the user's release is stuck: %s", h.describe(stuck.get(0)));
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Ready, at its generation, serving a revision built on the base digest. */
  static Predicate<PythonRelease> servesBase(String digest) {
    return r -> {
      var s = r.getStatus();
      if (s == null
          || s.getPhase() != Phase.Ready
          || !Objects.equals(s.getObservedGeneration(), r.getMetadata().getGeneration())
          || s.getCurrentRevision() == null) {
        return false;
      }
      return s.getRevisions().stream()
          .filter(x -> s.getCurrentRevision().equals(x.getNumber()))
          .anyMatch(x -> x.getBaseImage() != null && x.getBaseImage().endsWith("@" + digest));
    };
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String load() {
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
