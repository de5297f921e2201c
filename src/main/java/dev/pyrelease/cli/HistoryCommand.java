package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Lists a release's retained revisions, newest first; * marks the serving one.")
final class HistoryCommand extends ClusterCommand {
  HistoryCommand(Supplier<KubernetesClient> clients, PrintWriter out, PrintWriter err) {
    super("history", clients, out, err);
  }

  @Override
  int run(KubernetesClient client, String ns) {
    PythonRelease r = client.resources(PythonRelease.class).inNamespace(ns).withName(name).get();
    if (r == null) {
      err.println("pyrelease history: no PythonRelease " + ns + "/" + name);
      return Exit.INPUT;
    }
    out.print(table(r));
    out.flush();
    return Exit.OK;
  }

  /** The revisions table: number, state, commit, image, built at. Pure, for tests. */
  static String table(PythonRelease r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REVISION", "STATE", "COMMIT", "IMAGE", "BUILT AT"});
    var status = r.getStatus();
    Integer current = status == null ? null : status.getCurrentRevision();
    if (status != null && status.getRevisions() != null) {
      for (RevisionStatus rev : status.getRevisions()) {
        rows.add(
            new String[] {
              (Objects.equals(rev.getNumber(), current) ? "*" : " ") + rev.getNumber(),
              rev.getState() == null ? "" : rev.getState().name(),
              rev.getCommit() == null
                  ? ""
                  : rev.getCommit().substring(0, Math.min(12, rev.getCommit().length())),
              rev.getImage() == null ? "-" : rev.getImage(),
              rev.getBuiltAt() == null ? "" : rev.getBuiltAt()
            });
      }
    }
    int[] width = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < 5; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < 5; i++) {
        b.append(i == 4 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
      }
      b.append('\n');
    }
    if (rows.size() == 1) {
      b.append("(no revisions yet)\n");
    }
    return b.toString();
  }
}
