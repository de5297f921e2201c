package dev.pyrelease.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command about one PythonRelease in a cluster: the release name, the namespace option, and one
 * clear line (cluster URL and cause, exit 2) when the cluster cannot be reached.
 */
abstract class ClusterCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The PythonRelease.")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Default: the kubeconfig's namespace, else 'default'.")
  String namespace;

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
    KubernetesClient client = clients.get();
    try {
      String ns = namespace != null ? namespace : client.getNamespace();
      return run(client, ns != null ? ns : "default");
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
