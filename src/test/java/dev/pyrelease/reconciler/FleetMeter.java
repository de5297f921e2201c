package dev.pyrelease.reconciler;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fleet benchmark measures of the operator, in one JVM with the mock API server and the
 * fake kubelet: its API requests (told apart from the harness's by their User-Agent) and its CPU
 * (the process's CPU minus that of the harness's threads: the mock server's vert.x threads and
 * every thread {@link #threads} made). JIT and GC are in the operator's share, so it is an upper
 * bound.
 */
final class FleetMeter implements AutoCloseable {
  static final String OPERATOR_AGENT = "pyrelease-operator-bench";

  /** Operator requests by kind: watch, read, write, event (an Event written), total. */
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

  private final Set<Long> harnessThreads = ConcurrentHashMap.newKeySet();
  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Thread drainer;
  private final AtomicLong lastOperatorRequest = new AtomicLong(System.nanoTime());
  private volatile boolean running = true;

  FleetMeter(KubernetesMockServer server) {
    harnessThreads.add(Thread.currentThread().getId());
    drainer =
        threads("requests")
            .newThread(
                () -> {
                  while (running) {
                    try {
                      RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                      if (r != null) {
                        count(r);
                      }
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    drainer.start();
  }

  private void count(RecordedRequest r) {
    if (!OPERATOR_AGENT.equals(r.getHeader("User-Agent"))) {
      return;
    }
    String path = r.getPath() == null ? "" : r.getPath();
    String kind;
    if ("GET".equals(r.getMethod())) {
      kind = path.contains("watch=true") ? "watch" : "read";
    } else if (path.contains("/events")) {
      kind = "event";
    } else {
      kind = "write";
    }
    if (!"watch".equals(kind)) {
      lastOperatorRequest.set(System.nanoTime());
    }
    requests.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    requests.computeIfAbsent("total", k -> new AtomicLong()).incrementAndGet();
  }

  /** A thread factory whose threads count as the harness's. */
  ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fleet-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      harnessThreads.add(t.getId());
      return t;
    };
  }

  /** How long since the operator's last request that was not a watch. */
  long quietMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastOperatorRequest.get());
  }

  Snapshot snapshot() {
    // let the drainer catch up with what was sent so far
    try {
      Thread.sleep(150);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long harness = 0;
    for (long id : mx.getAllThreadIds()) {
      var info = mx.getThreadInfo(id);
      if (info == null) {
        continue;
      }
      if (harnessThreads.contains(id) || info.getThreadName().startsWith("vert.x")) {
        long cpu = mx.getThreadCpuTime(id);
        harness += Math.max(cpu, 0);
      }
    }
    return new Snapshot(
        os.getProcessCpuTime(),
        harness,
        get("total"),
        get("read"),
        get("write"),
        get("event"),
        get("watch"));
  }

  private long get(String kind) {
    AtomicLong v = requests.get(kind);
    return v == null ? 0 : v.get();
  }

  /** Cumulative figures; subtract two for a phase. */
  record Snapshot(
      long processCpuNanos,
      long harnessCpuNanos,
      long requests,
      long reads,
      long writes,
      long events,
      long watches) {
    Snapshot minus(Snapshot o) {
      return new Snapshot(
          processCpuNanos - o.processCpuNanos,
          harnessCpuNanos - o.harnessCpuNanos,
          requests - o.requests,
          reads - o.reads,
          writes - o.writes,
          events - o.events,
          watches - o.watches);
    }

    long operatorCpuMillis() {
      return TimeUnit.NANOSECONDS.toMillis(processCpuNanos - harnessCpuNanos);
    }
  }

  @Override
  public void close() {
    running = false;
    drainer.interrupt();
  }
}
