package dev.pyrelease.reconciler;

import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.http.Digests;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.release.BaseDigests;
import dev.pyrelease.source.GitResolver;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A JOSDK operator against fabric8's mock API server in CRUD mode, plus the test's kubelet. */
abstract class OperatorTestBase {
  // the mock server logs every request at INFO; keep a reference so the level sticks
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    // the mock answers in microseconds: poll often so the suite's time is the operator's time
    org.awaitility.Awaitility.setDefaultPollDelay(Duration.ZERO);
    org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
  }

  static final AtomicInteger NS = new AtomicInteger();
  static final OperatorConfig CONFIG =
      OperatorConfig.from(Map.of("PYRELEASE_OPERATOR_IMAGE", "registry.test/pyrelease:test"));

  /** The pull credentials each base reference was last asked with (none: an empty array). */
  static final Map<String, byte[]> PULL_SECRETS = new ConcurrentHashMap<>();

  /**
   * A registry where every base image exists but those named {@code …/missing:…}, and that cannot
   * be reached for those named {@code …/unreachable:…}; a digest is a function of its reference.
   */
  static final BaseDigests BASES =
      (reference, pullSecret) -> {
        PULL_SECRETS.put(reference, pullSecret == null ? new byte[0] : pullSecret);
        if (reference.contains("/unreachable:")) {
          throw new BaseDigests.UnavailableException(
              "connection refused (fake) asking for " + reference, null);
        }
        if (reference.contains("/missing:")) {
          throw new BaseDigests.NotFoundException(
              "the base image " + reference + " does not exist");
        }
        return "sha256:" + Digests.sha256(reference);
      };

  final FakeGit git = new FakeGit().ref("v1", sha('1')).ref("v2", sha('2')).ref("v3", sha('3'));

  static String sha(char c) {
    return String.valueOf(c).repeat(40);
  }

  static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  static String freshNamespace(Kube kube) {
    String ns = "t" + NS.incrementAndGet() + "-" + System.nanoTime() % 100000;
    kube.namespace(ns);
    return ns;
  }

  static PyreleaseOperator startOperator(KubernetesClient client, FakeGit git) {
    return startOperator(client, git, CONFIG);
  }

  static PyreleaseOperator startOperator(
      KubernetesClient client, GitResolver git, OperatorConfig config) {
    Kube.installCrd(client);
    return new PyreleaseOperator(client, config, git, BASES, Clock.systemUTC()).start();
  }

  static PythonRelease awaitRelease(Kube kube, String ns, String name, Predicate<PythonRelease> p) {
    return await()
        .atMost(Kube.WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> kube.get(ns, name), r -> r != null && r.getStatus() != null && p.test(r));
  }

  static Condition condition(PythonRelease r, String type) {
    return r.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  static boolean hasCondition(PythonRelease r, String type, String status, String reason) {
    Condition c = condition(r, type);
    return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
  }

  /** Requests other than GET (watches and lists are GETs) recorded since the last drain. */
  static List<String> drainWrites(KubernetesMockServer server) throws InterruptedException {
    List<String> writes = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      if (!"GET".equals(r.getMethod())) {
        writes.add(r.getMethod() + " " + r.getPath());
      }
    }
    return writes;
  }
}
