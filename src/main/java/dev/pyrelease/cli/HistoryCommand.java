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

  /**
   * The revisions table: number, state, commit, image, the base's digest (which revisions run an
   * unpatched base), built at. Pure, for tests.
   */
  static String table(PythonRelease r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REVISION", "STATE", "COMMIT", "IMAGE", "BASE", "BUILT AT"});
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
              baseDigest(rev.getBaseImage()),
              rev.getBuiltAt() == null ? "" : rev.getBuiltAt()
            });
      }
    }
    StringBuilder b = new StringBuilder(Table.render(rows));
    if (rows.size() == 1) {
      b.append("(no revisions yet)\n");
    }
    return b.toString();
  }

  /** sha256:0123456789ab of a pinned base reference; "-" when the revision did not record one. */
  static String baseDigest(String pinned) {
    int at = pinned == null ? -1 : pinned.indexOf("@sha256:");
    if (at < 0) {
      return "-";
    }
    String digest = pinned.substring(at + 1);
    return digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12));
  }
}
