package dev.pyrelease.cli;

import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.metrics.OperatorMetrics;
import dev.pyrelease.operator.HealthServer;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.operator.RegistryBaseDigests;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.jgit.JGitResolver;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the PythonRelease operator until terminated. Cluster access is fabric8's standard"
          + " configuration: KUBECONFIG / ~/.kube/config, or the pod's service account.",
      "Configuration (environment): PYRELEASE_NAMESPACES, PYRELEASE_OPERATOR_IMAGE,"
          + " PYRELEASE_BASE_IMAGE_<X>_<Y>, PYRELEASE_STANDBY_SECONDS,"
          + " PYRELEASE_PROGRESS_DEADLINE_SECONDS, PYRELEASE_BUILD_CPU, PYRELEASE_BUILD_MEMORY,"
          + " PYRELEASE_BUILD_DEADLINE_SECONDS, PYRELEASE_BUILD_BACKOFF_LIMIT,"
          + " PYRELEASE_BUILD_TTL_SECONDS, PYRELEASE_GIT_CACHE_DIR, PYRELEASE_GIT_ALLOW_LOCAL,"
          + " PYRELEASE_LEADER_ELECTION_LEASE, PYRELEASE_LEADER_ELECTION_NAMESPACE,"
          + " PYRELEASE_POD_NAME, PYRELEASE_HEALTH_PORT (/healthz, /readyz, /metrics)."
    })
final class OperatorCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final Supplier<KubernetesClient> clients;
  private final PrintWriter err;

  OperatorCommand(Map<String, String> env, Supplier<KubernetesClient> clients, PrintWriter err) {
    this.env = env;
    this.clients = clients;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    OperatorConfig config;
    try {
      config = OperatorConfig.from(env);
    } catch (IllegalArgumentException e) {
      err.println("pyrelease operator: " + e.getMessage());
      return Exit.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    KubernetesClient client = clients.get();
    GitResolver git =
        new JGitResolver(
            Path.of(config.git().cacheDir()),
            JGitResolver.DEFAULT_TIMEOUT,
            config.git().allowLocal());
    OperatorMetrics metrics = new OperatorMetrics();
    PyreleaseOperator operator =
        new PyreleaseOperator(
            client,
            config,
            git,
            new RegistryBaseDigests(config.insecureRegistries()),
            Clock.systemUTC(),
            metrics);
    HealthServer health =
        config.healthPort() > 0
            ? new HealthServer(
                config.healthPort(), operator::ready, metrics::scrape, OperatorMetrics.CONTENT_TYPE)
            : null;
    operator.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  if (health != null) {
                    health.close();
                  }
                  git.close();
                  client.close();
                  metrics.close();
                  stopped.countDown();
                },
                "pyrelease-shutdown"));
    stopped.await();
    return Exit.OK;
  }
}
