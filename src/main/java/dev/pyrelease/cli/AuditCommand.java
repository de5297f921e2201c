package dev.pyrelease.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.cli.options.NamespaceOptions;
import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.python.Version;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every release and retained revision whose image installs a distribution (any"
          + " version, or NAME==VERSION), from the distributions the operator records on each"
          + " revision: one list call, no image pulled.",
      "With --fail-on, exits 1 when a revision that runs or can be rolled back to installs one"
          + " of those versions (a CI gate)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no revision installs a --fail-on version (matches or not)",
      "1:a revision installs a --fail-on version; or the query is wrong",
      "2:usage error, or the cluster could not be reached"
    })
final class AuditCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "NAME[==VERSION]",
      description = "A distribution (PEP 503 names: Django, django and DJANGO are one).")
  String query;

  @Mixin NamespaceOptions namespace = new NamespaceOptions();

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Every namespace (the PythonReleases list permission in each).")
  boolean allNamespaces;

  @Option(
      names = "--fail-on",
      split = ",",
      paramLabel = "VERSION",
      description = "Versions that fail the audit (comma-separated, or repeated).")
  List<String> failOn = new ArrayList<>();

  @Mixin OutputOptions output = new OutputOptions();

  private final Supplier<KubernetesClient> clients;
  private final PrintWriter out;
  private final PrintWriter err;

  AuditCommand(Supplier<KubernetesClient> clients, PrintWriter out, PrintWriter err) {
    this.clients = clients;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (allNamespaces && namespace.given()) {
      err.println("pyrelease audit: -A and -n exclude each other");
      return Exit.USAGE;
    }
    FleetAudit.Query q;
    List<Version> failing = new ArrayList<>();
    try {
      q = FleetAudit.Query.parse(query);
      for (String v : failOn) {
        failing.add(FleetAudit.version(v.trim(), "--fail-on " + v));
      }
    } catch (IllegalArgumentException e) {
      err.println("pyrelease audit: " + e.getMessage());
      return Exit.INPUT;
    }
    return ClusterCommand.withCluster(
        "audit",
        clients,
        err,
        client -> {
          var resources = client.resources(PythonRelease.class);
          List<PythonRelease> releases =
              allNamespaces
                  ? resources.inAnyNamespace().list().getItems()
                  : resources
                      .inNamespace(namespace.resolve(client.getNamespace()))
                      .list()
                      .getItems();
          FleetAudit.Result result = FleetAudit.of(releases, q);
          List<FleetAudit.Match> failed = result.failing(failing);
          print(q, result, failed);
          if (!failed.isEmpty()) {
            err.println(
                "pyrelease audit: "
                    + failed.size()
                    + " revision(s) install a --fail-on version of "
                    + q.name());
            return Exit.INPUT;
          }
          return Exit.OK;
        });
  }

  private void print(FleetAudit.Query q, FleetAudit.Result result, List<FleetAudit.Match> failed) {
    if (output.json()) {
      out.println(json(q, result, failed));
      out.flush();
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAMESPACE", "RELEASE", "REVISION", "STATE", "DISTRIBUTION", "IMAGE"});
    for (FleetAudit.Match m : result.matches()) {
      rows.add(
          new String[] {
            m.namespace(),
            m.release(),
            (m.serving() ? "*" : " ") + m.revision(),
            m.state() == null ? "" : m.state().name(),
            m.distribution() + "==" + m.version() + (failed.contains(m) ? " (fail-on)" : ""),
            m.image() == null ? "-" : m.image()
          });
    }
    if (rows.size() == 1) {
      out.println("no retained revision installs " + describe(q));
    } else {
      out.print(Table.render(rows));
    }
    if (!result.unknown().isEmpty()) {
      err.println(
          "pyrelease audit: "
              + result.unknown().size()
              + " revision(s) have no recorded distributions (built before the operator kept"
              + " them; their image's SBOM lists them): "
              + String.join(
                  ", ",
                  result.unknown().stream()
                      .map(u -> u.namespace() + "/" + u.release() + " r" + u.revision())
                      .toList()));
    }
    out.flush();
  }

  private static String describe(FleetAudit.Query q) {
    return q.name() + (q.version() == null ? "" : "==" + q.version());
  }

  private static String json(
      FleetAudit.Query q, FleetAudit.Result result, List<FleetAudit.Match> failed) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("query", describe(q));
    List<Map<String, Object>> ms = new ArrayList<>();
    for (FleetAudit.Match m : result.matches()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("namespace", m.namespace());
      o.put("release", m.release());
      o.put("revision", m.revision());
      o.put("state", m.state() == null ? null : m.state().name());
      o.put("serving", m.serving());
      o.put("distribution", m.distribution());
      o.put("version", m.version().toString());
      o.put("image", m.image());
      o.put("failOn", failed.contains(m));
      ms.add(o);
    }
    doc.put("matches", ms);
    doc.put(
        "unrecorded",
        result.unknown().stream()
            .map(
                u ->
                    Map.of(
                        "namespace",
                        u.namespace(),
                        "release",
                        u.release(),
                        "revision",
                        u.revision()))
            .toList());
    doc.put("failed", !failed.isEmpty());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
