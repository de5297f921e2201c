package dev.pyrelease.cli.options;

import picocli.CommandLine.Option;

/** The namespace of a cluster command, resolved as kubectl resolves it. */
public final class NamespaceOptions {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Default: the kubeconfig's namespace, else 'default'.")
  private String namespace;

  /** {@code -n}, else the kubeconfig's namespace, else {@code default}. */
  public String resolve(String kubeconfigNamespace) {
    if (namespace != null) {
      return namespace;
    }
    return kubeconfigNamespace != null ? kubeconfigNamespace : "default";
  }

  /** Whether {@code -n} was given. */
  public boolean given() {
    return namespace != null;
  }
}
