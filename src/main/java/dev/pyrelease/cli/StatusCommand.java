package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "A release at a glance: its phase, the serving revision, the Ready condition, what"
            + " manages it (Argo CD, Flux), and its revisions with state, commit, image and age.")
final class StatusCommand extends ClusterCommand {
  StatusCommand(Supplier<KubernetesClient> clients, PrintWriter out, PrintWriter err) {
    super("status", clients, out, err);
  }

  @Override
  int run(KubernetesClient client, String ns) {
    PythonRelease r = client.resources(PythonRelease.class).inNamespace(ns).withName(name).get();
    if (r == null) {
      err.println("pyrelease status: no PythonRelease " + ns + "/" + name);
      return Exit.INPUT;
    }
    out.print(render(r, Instant.now()));
    out.flush();
    return Exit.OK;
  }

  /** The report; pure, for tests. */
  static String render(PythonRelease r, Instant now) {
    StringBuilder b = new StringBuilder();
    var s = r.getStatus();
    var spec = r.getSpec();
    b.append(r.getMetadata().getNamespace()).append('/').append(r.getMetadata().getName());
    b.append("  phase: ").append(s == null || s.getPhase() == null ? "-" : s.getPhase().name());
    Integer current = s == null ? null : s.getCurrentRevision();
    b.append("  serving: ").append(current == null ? "-" : "r" + current);
    b.append(
        spec != null && spec.getRevision() != null
            ? "  (pinned by spec.revision: " + spec.getRevision() + ")"
            : "  (following the latest build)");
    b.append('\n');
    if (s != null && s.getConditions() != null) {
      for (Condition c : s.getConditions()) {
        if ("Ready".equals(c.getType())) {
          b.append("Ready: ")
              .append(c.getStatus())
              .append(" (")
              .append(c.getReason())
              .append(")")
              .append(c.getMessage() == null ? "" : " " + c.getMessage())
              .append('\n');
        }
      }
    }
    GitOps.of(r.getMetadata())
        .ifPresent(
            g ->
                b.append("managed by: ")
                    .append(g.tool())
                    .append(" (")
                    .append(g.owner())
                    .append("): roll back in git, not with a patch\n"));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REVISION", "STATE", "COMMIT", "IMAGE", "AGE"});
    if (s != null && s.getRevisions() != null) {
      for (RevisionStatus rev : s.getRevisions()) {
        rows.add(
            new String[] {
              (Objects.equals(rev.getNumber(), current) ? "*" : " ") + rev.getNumber(),
              rev.getState() == null ? "" : rev.getState().name(),
              rev.getCommit() == null
                  ? ""
                  : rev.getCommit().substring(0, Math.min(12, rev.getCommit().length())),
              rev.getImage() == null ? "-" : rev.getImage(),
              age(rev.getBuiltAt(), now)
            });
      }
    }
    b.append(Table.render(rows));
    if (rows.size() == 1) {
      b.append("(no revisions yet)\n");
    }
    return b.toString();
  }

  /** As kubectl prints ages: 45s, 12m, 5h, 3d; "-" when unknown. */
  static String age(String rfc3339, Instant now) {
    if (rfc3339 == null) {
      return "-";
    }
    Duration d;
    try {
      d = Duration.between(Instant.parse(rfc3339), now);
    } catch (DateTimeParseException e) {
      return "-";
    }
    if (d.isNegative()) {
      return "0s";
    }
    long sec = d.getSeconds();
    if (sec < 120) {
      return sec + "s";
    }
    if (sec < 2 * 3600) {
      return sec / 60 + "m";
    }
    if (sec < 2 * 86400) {
      return sec / 3600 + "h";
    }
    return sec / 86400 + "d";
  }
}
