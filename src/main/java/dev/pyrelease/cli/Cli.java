package dev.pyrelease.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Builds the command tree with its dependencies and runs it. */
public final class Cli {
  private final CliSettings settings;
  private final Map<String, String> env; // for the container engines the build runs
  private final PrintWriter out;
  private final PrintWriter err;
  private final Supplier<KubernetesClient> clients; // for the cluster commands

  public Cli(Map<String, String> env, PrintWriter out, PrintWriter err) {
    // fabric8's standard configuration: KUBECONFIG / ~/.kube/config, or in-cluster
    this(env, out, err, Cli::standardClient);
  }

  /** With a client source of the caller's choosing (tests pass a mock server's client). */
  public Cli(
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      Supplier<KubernetesClient> clients) {
    this.clients = clients;
    this.settings = CliSettings.from(env);
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
  }

  /**
   * fabric8's auto-configured client, with two request retries instead of ten: a command should say
   * "cannot reach the cluster" in seconds, and the operator's reconciles are retried anyway.
   */
  private static KubernetesClient standardClient() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(2);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public int run(String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          // A bug, not bad input: say so in one line; the trace only on request.
          err.println("pyrelease: internal error: " + ex);
          if (settings.debug()) {
            ex.printStackTrace(err);
          }
          return 3;
        });
    return cli.execute(args);
  }

  /** The command tree as {@link #run} parses it (tests parse the build Job's arguments). */
  CommandLine commandLine() {
    return new CommandLine(new RootCommand(), new Factory());
  }

  /** Hands each command what it needs; no reflection-based injection. */
  private final class Factory implements CommandLine.IFactory {
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    @Override
    @SuppressWarnings("unchecked")
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == CheckCommand.class) {
        return (K) new CheckCommand(settings, out, err);
      }
      if (cls == BuildCommand.class) {
        return (K) new BuildCommand(env, settings, out, err);
      }
      if (cls == SourceCommand.class) {
        return (K) new SourceCommand(out, err);
      }
      if (cls == VenvCommand.class) {
        return (K) new VenvCommand(env, out, err);
      }
      if (cls == AssembleCommand.class) {
        return (K) new AssembleCommand(settings, out, err);
      }
      if (cls == OperatorCommand.class) {
        return (K) new OperatorCommand(env, clients, err);
      }
      if (cls == HistoryCommand.class) {
        return (K) new HistoryCommand(clients, out, err);
      }
      if (cls == RollbackCommand.class) {
        return (K) new RollbackCommand(clients, out, err);
      }
      if (cls == StatusCommand.class) {
        return (K) new StatusCommand(clients, out, err);
      }
      if (cls == AuditCommand.class) {
        return (K) new AuditCommand(clients, out, err);
      }
      return fallback.create(cls);
    }
  }
}
