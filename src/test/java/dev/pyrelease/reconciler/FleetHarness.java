package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.http.Digests;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The fleet benchmark's cluster (issue 18): fabric8's mock API server in CRUD mode, the real
 * operator on its own client, and the harness's side on another — a fake kubelet (build Jobs finish
 * after {@code buildMillis} with the assemble step's result, Deployments become available) and
 * informers that follow the releases and the warm release's Service. One instance per fleet size: a
 * fresh server, so sizes do not share state.
 *
 * <p>Scenarios are methods of {@link FleetBench}; this class gives them what they need: {@link
 * #createFleet}, {@link #editAll}, {@link #awaitAll}, {@link #restartOperator}, {@link #rollback}.
 */
final class FleetHarness implements AutoCloseable {
  static final String URL = "https://git.test/shop.git";
  static final String WARM_NS = "warm";
  static final String WARM = "warm";

  final KubernetesMockServer server;
  final FleetMeter meter;
  final KubernetesClient harness;
  final SlowGit git;
  final OperatorConfig config;
  final Kube kube;
  private final long buildMillis;
  private final ScheduledExecutorService kubelet;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Set<String> pendingAvailable = ConcurrentHashMap.newKeySet();

  /** The base image registry: its tags can move ({@link FleetPatchBench}); requests counted. */
  final MovingBases bases = new MovingBases().tag(BASE_TAG, OperatorTestBase.digest('1'));

  static final String BASE_TAG = "registry.test/python:3.11-slim";

  /** Build Jobs running now (created and not finished by the fake kubelet), and the most seen. */
  final java.util.concurrent.atomic.AtomicInteger runningBuilds =
      new java.util.concurrent.atomic.AtomicInteger();

  final java.util.concurrent.atomic.AtomicInteger maxRunningBuilds =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Every build Job the operator created: name → build key. */
  final Map<String, String> buildJobs = new ConcurrentHashMap<>();

  /** The releases as the harness's informer last saw them. */
  final Map<String, PythonRelease> releases = new ConcurrentHashMap<>();

  private final Map<Integer, CompletableFuture<Long>> serviceWaiters = new ConcurrentHashMap<>();
  private KubernetesClient operatorClient;
  private PyreleaseOperator operator;

  // the mock server logs every request at INFO; keep a reference so the level sticks
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  FleetHarness(long gitLatencyMillis, long buildMillis, int reconcileThreads) {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    this.buildMillis = buildMillis;
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesMixedDispatcher(new HashMap<>()),
            true);
    server.init();
    meter = new FleetMeter(server);
    ExecutorService http =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            1,
            TimeUnit.DAYS, // threads never die: their CPU must stay countable
            new SynchronousQueue<>(),
            meter.threads("http"));
    harness =
        server.createClient(
            b ->
                b.withHttpClientFactory(
                        new OkHttpClientFactory() {
                          @Override
                          protected okhttp3.Dispatcher initDispatcher() {
                            okhttp3.Dispatcher d = new okhttp3.Dispatcher(http);
                            d.setMaxRequests(Integer.MAX_VALUE);
                            d.setMaxRequestsPerHost(Integer.MAX_VALUE);
                            return d;
                          }
                        })
                    .withTaskExecutor(Executors.newFixedThreadPool(2, meter.threads("informer"))));
    kube = new Kube(harness);
    kubelet = Executors.newScheduledThreadPool(3, meter.threads("kubelet"));
    FakeGit fake = new FakeGit();
    String requirements = "django==5.2.1\ngunicorn==23.0.0\n";
    for (String ref : List.of("v1", "v2", "w1", "w2")) {
      String commit = commitOf(ref);
      fake.ref(ref, commit).file(commit, "requirements.txt", requirements);
    }
    git = new SlowGit(fake, gitLatencyMillis);
    config =
        OperatorConfig.from(
            Map.of(
                "PYRELEASE_OPERATOR_IMAGE",
                "registry.test/pyrelease:test",
                "PYRELEASE_RECONCILE_THREADS",
                Integer.toString(reconcileThreads)));
    Kube.installCrd(harness);
    startKubelet();
  }

  /** A fixed commit per ref name. */
  static String commitOf(String ref) {
    return Digests.sha256(ref).substring(0, 40);
  }

  /** A release reading its requirements from git (the spec a monorepo's services would have). */
  static PythonRelease release(String ns, String name, String ref) {
    PythonRelease r = Kube.release(ns, name, ref);
    // one index for the whole fleet: equal specs have one build key across namespaces
    r.getSpec().getIndex().setUrl("https://pyrepo.test/simple/");
    r.getSpec().getSource().getGit().setUrl(URL);
    r.getSpec().getRequirements().setInline(null);
    r.getSpec().getRequirements().setFile("requirements.txt");
    return r;
  }

  void startOperator() {
    operatorClient =
        server.createClient(
            b ->
                b.withConfig(
                    new ConfigBuilder(harness.getConfiguration())
                        .withUserAgent(FleetMeter.OPERATOR_AGENT)
                        .build()));
    operator = new PyreleaseOperator(operatorClient, config, git, bases, Clock.systemUTC()).start();
  }

  void stopOperator() {
    operator.close();
    operatorClient.close();
  }

  /** Re-resolves every base tag in use now (what the operator's poll does once an interval). */
  int pollBaseTags() {
    return operator.baseTags().poll();
  }

  /** Stops the operator and starts a new one; returns once the new one is ready. */
  void restartOperator() {
    stopOperator();
    startOperator();
    long until = System.currentTimeMillis() + 60_000;
    while (!operator.ready() && System.currentTimeMillis() < until) {
      sleep(20);
    }
  }

  /** The operator's {@code /metrics} text. */
  String scrape() {
    return operator.metrics().scrape();
  }

  private void startKubelet() {
    informers.add(
        harness
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .withLabel(Labels.RELEASE)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Job job) {
                    if ("build".equals(job.getMetadata().getLabels().get(Labels.COMPONENT))
                        && job.getStatus() == null) {
                      buildJobs.put(
                          job.getMetadata().getNamespace() + "/" + job.getMetadata().getName(),
                          Objects.toString(Labels.annotation(job, Labels.BUILD_KEY)));
                      maxRunningBuilds.accumulateAndGet(runningBuilds.incrementAndGet(), Math::max);
                      kubelet.schedule(() -> build(job), buildMillis, TimeUnit.MILLISECONDS);
                    }
                  }

                  @Override
                  public void onUpdate(Job before, Job after) {}

                  @Override
                  public void onDelete(Job job, boolean unknown) {}
                }));
    informers.add(
        harness
            .apps()
            .deployments()
            .inAnyNamespace()
            .withLabel(Labels.RELEASE)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    available(d);
                  }

                  @Override
                  public void onUpdate(Deployment before, Deployment after) {
                    available(after);
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {}
                }));
    informers.add(
        harness
            .resources(PythonRelease.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PythonRelease r) {
                    releases.put(key(r), r);
                  }

                  @Override
                  public void onUpdate(PythonRelease before, PythonRelease after) {
                    releases.put(key(after), after);
                  }

                  @Override
                  public void onDelete(PythonRelease r, boolean unknown) {
                    releases.remove(key(r));
                  }
                }));
    informers.add(
        harness
            .services()
            .inNamespace(WARM_NS)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Service s) {
                    selected(s);
                  }

                  @Override
                  public void onUpdate(Service before, Service after) {
                    selected(after);
                  }

                  @Override
                  public void onDelete(Service s, boolean unknown) {}
                }));
  }

  private static String key(PythonRelease r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  /** The Job controller and kubelet: the build pod ran and assemble wrote its result. */
  private void build(Job job) {
    String digest =
        "sha256:" + Digests.sha256(Objects.toString(Labels.annotation(job, Labels.BUILD_KEY)));
    try {
      kube.jobPodFinished(
          job,
          List.of(
              Kube.terminated("source", 0, "Completed", null),
              Kube.terminated("venv", 0, "Completed", null)),
          Kube.terminated(
              "assemble",
              0,
              "Completed",
              "{\"image\":\""
                  + Kube.REPO
                  + "@"
                  + digest
                  + "\",\"digest\":\""
                  + digest
                  + "\",\"layers\":[]}"),
          true);
    } catch (RuntimeException e) {
      System.err.println("fleet kubelet: build " + job.getMetadata().getName() + ": " + e);
    } finally {
      runningBuilds.decrementAndGet();
    }
  }

  /** The Deployment controller: every wanted replica available at the current generation. */
  private void available(Deployment d) {
    var s = d.getStatus();
    int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (s != null
        && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getAvailableReplicas(), wanted)
        && Objects.equals(s.getReplicas(), wanted)) {
      return;
    }
    String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    if (pendingAvailable.add(key)) {
      kubelet.execute(
          () -> {
            try {
              kube.makeAvailable(d.getMetadata().getNamespace(), d.getMetadata().getName());
            } catch (RuntimeException e) {
              System.err.println("fleet kubelet: deployment " + key + ": " + e);
            } finally {
              pendingAvailable.remove(key);
            }
          });
    }
  }

  private void selected(Service s) {
    if (!WARM.equals(s.getMetadata().getName()) || s.getSpec().getSelector() == null) {
      return;
    }
    String rev = s.getSpec().getSelector().get(Labels.REVISION);
    if (rev != null) {
      CompletableFuture<Long> f = serviceWaiters.remove(Integer.parseInt(rev));
      if (f != null) {
        f.complete(System.nanoTime());
      }
    }
  }

  /** Creates {@code n} releases over {@code namespaces} namespaces, in parallel, at ref v1. */
  List<String> createFleet(int n, int namespaces) {
    return createFleet(n, namespaces, r -> {});
  }

  /** As above, each release changed by {@code customize} before it is created. */
  List<String> createFleet(
      int n, int namespaces, java.util.function.Consumer<PythonRelease> customize) {
    for (int i = 0; i < namespaces; i++) {
      kube.namespace("fleet-" + i);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("fleet-" + (i % namespaces) + "/app-" + i);
    }
    parallel(
        names,
        k -> {
          PythonRelease r = release(ns(k), name(k), "v1");
          customize.accept(r);
          kube.create(r);
        });
    return names;
  }

  /** Changes every release's spec, in parallel (a GitOps sync of the whole fleet). */
  void editAll(
      List<String> names,
      java.util.function.Consumer<dev.pyrelease.api.v1alpha1.PythonReleaseSpec> change) {
    parallel(names, k -> kube.editSpec(ns(k), name(k), change));
  }

  private void parallel(List<String> names, java.util.function.Consumer<String> each) {
    ExecutorService pool = Executors.newFixedThreadPool(8, meter.threads("driver"));
    try {
      var futures = names.stream().map(k -> pool.submit(() -> each.accept(k))).toList();
      for (var f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
  }

  static String ns(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  static String name(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  /** Serving the spec's commit, Ready, at the current generation. */
  static Predicate<PythonRelease> readyAt(String commit) {
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
          .map(RevisionStatus::getCommit)
          .anyMatch(commit::equals);
    };
  }

  /**
   * Waits until every named release satisfies {@code ready}, or the timeout; returns those that do
   * not (the stuck ones).
   */
  List<String> awaitAll(List<String> names, Predicate<PythonRelease> ready, long timeoutMillis) {
    long until = System.currentTimeMillis() + timeoutMillis;
    List<String> notYet = names;
    while (true) {
      notYet =
          notYet.stream()
              .filter(k -> releases.get(k) == null || !ready.test(releases.get(k)))
              .toList();
      if (notYet.isEmpty() || System.currentTimeMillis() > until) {
        return notYet;
      }
      sleep(50);
    }
  }

  /** Why a stuck release is stuck: its phase and the conditions that are not True. */
  String describe(String key) {
    PythonRelease r = releases.get(key);
    if (r == null || r.getStatus() == null) {
      return key + ": no status";
    }
    StringBuilder b = new StringBuilder(key + ": " + r.getStatus().getPhase());
    for (var c : r.getStatus().getConditions()) {
      if (!"True".equals(c.getStatus())) {
        b.append("; ").append(c.getType()).append('=').append(c.getReason());
      }
    }
    return b.toString();
  }

  /** The warm release: revisions 1 (w1) and 2 (w2) built and available, 2 serving. */
  void warmRelease() {
    kube.namespace(WARM_NS);
    kube.create(release(WARM_NS, WARM, "w1"));
    List<String> warm = List.of(WARM_NS + "/" + WARM);
    if (!awaitAll(warm, readyAt(commitOf("w1")), 60_000).isEmpty()) {
      throw new IllegalStateException(
          "the warm release did not get ready: " + describe(warm.get(0)));
    }
    kube.editSpec(WARM_NS, WARM, s -> s.getSource().getGit().setRef("w2"));
    if (!awaitAll(warm, readyAt(commitOf("w2")), 60_000).isEmpty()) {
      throw new IllegalStateException(
          "the warm release did not roll out w2: " + describe(warm.get(0)));
    }
  }

  /**
   * Pins the warm release to the revision it does not serve and waits for its Service to select it:
   * the latency of a warm rollback, in milliseconds (from just before the harness edits the spec).
   */
  long rollback() {
    int now = kube.selected(WARM_NS, WARM);
    int target = now == 1 ? 2 : 1;
    CompletableFuture<Long> seen = new CompletableFuture<>();
    serviceWaiters.put(target, seen);
    long start = System.nanoTime();
    kube.editSpec(WARM_NS, WARM, s -> s.setRevision(target));
    long millis;
    try {
      long at = seen.get(60, TimeUnit.SECONDS);
      millis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, at - start));
    } catch (Exception e) {
      throw new IllegalStateException("the warm rollback to revision " + target + " never came", e);
    }
    // the next sample starts from a release at rest (status written for this generation), as a
    // user's next rollback would: a spec edit racing the operator's status write costs the
    // writer's conflict wait, which is not what this measures
    awaitAll(
        List.of(WARM_NS + "/" + WARM),
        r ->
            r.getStatus() != null
                && Integer.valueOf(target).equals(r.getStatus().getCurrentRevision())
                && Objects.equals(
                    r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration()),
        60_000);
    return millis;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (operator != null) {
      stopOperator();
    }
    informers.forEach(SharedIndexInformer::close);
    kubelet.shutdownNow();
    harness.close();
    meter.close();
    server.destroy();
  }
}
