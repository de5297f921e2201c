package dev.pyrelease.cli;

import dev.pyrelease.cli.options.NamespaceOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A command about one PythonRelease in a cluster: the release name, the namespace option, and one
 * clear line (cluster URL and cause, exit 2) when the cluster cannot be reached.
 */
abstract class ClusterCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The PythonRelease.")
  String name;

  @Mixin NamespaceOptions namespace = new NamespaceOptions();

  private final String command;
  private final Supplier<KubernetesClient> clients;
  final PrintWriter out;
  final PrintWriter err;

  ClusterCommand(
      String command, Supplier<KubernetesClient> clients, PrintWriter out, PrintWriter err) {
    this.command = command;
    this.clients = clients;
    this.out = out;
    this.err = err;
  }

  /** Does the work with a namespace resolved as kubectl would. */
  abstract int run(KubernetesClient client, String namespace);

  @Override
  public final Integer call() {
    return withCluster(
        command, clients, err, client -> run(client, namespace.resolve(client.getNamespace())));
  }

  /**
   * Runs {@code work} with a client; a cluster that cannot be reached (or a request it fails) is
   * one line naming the cluster's URL and the cause, exit 2.
   */
  static int withCluster(
      String command,
      Supplier<KubernetesClient> clients,
      PrintWriter err,
      java.util.function.ToIntFunction<KubernetesClient> work) {
    KubernetesClient client = clients.get();
    try {
      return work.applyAsInt(client);
    } catch (KubernetesClientException e) {
      err.println(
          "pyrelease "
              + command
              + ": cannot reach the cluster at "
              + client.getMasterUrl()
              + " or the request failed: "
              + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "")
              + rootCause(e));
      return Exit.ENVIRONMENT;
    }
  }

  void fail(String message) {
    err.println("pyrelease " + command + ": " + message);
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse("");
  }
}
