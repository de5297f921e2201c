package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Pins a release to a retained revision by setting spec.revision (a JSON patch of that one"
          + " field, nothing else). The operator switches traffic; it never builds for a rollback.",
      "To follow the latest build again, remove spec.revision (e.g. with kubectl edit).",
      "A release that Argo CD or Flux manages (their labels or annotations on it) is not"
          + " patched: the tool would put the field back at its next sync. What to commit is"
          + " printed instead (exit 1), unless --force."
    })
final class RollbackCommand extends ClusterCommand {
  @Option(names = "--to", required = true, paramLabel = "N", description = "The revision number.")
  int to;

  @Option(
      names = "--force",
      description =
          "Patch spec.revision even when a GitOps tool manages the release (it may revert it).")
  boolean force;

  RollbackCommand(Supplier<KubernetesClient> clients, PrintWriter out, PrintWriter err) {
    super("rollback", clients, out, err);
  }

  @Override
  int run(KubernetesClient client, String ns) {
    if (to < 1) {
      err.println("pyrelease rollback: --to must be a revision number (1 or more)");
      return Exit.USAGE;
    }
    var resource = client.resources(PythonRelease.class).inNamespace(ns).withName(name);
    PythonRelease r = resource.get();
    if (r == null) {
      err.println("pyrelease rollback: no PythonRelease " + ns + "/" + name);
      return Exit.INPUT;
    }
    // the operator would refuse too (a condition); saying so here saves a round trip
    if (r.getStatus() != null && r.getStatus().getRevisions() != null) {
      boolean retained =
          r.getStatus().getRevisions().stream()
              .anyMatch(
                  x ->
                      x.getNumber() == to
                          && x.getImage() != null
                          && x.getState() != RevisionState.Failed);
      if (!retained) {
        String list =
            r.getStatus().getRevisions().stream()
                .filter(x -> x.getImage() != null && x.getState() != RevisionState.Failed)
                .map(RevisionStatus::getNumber)
                .map(String::valueOf)
                .collect(Collectors.joining(", "));
        err.println(
            "pyrelease rollback: revision "
                + to
                + " is not retained by "
                + ns
                + "/"
                + name
                + " (retained: "
                + (list.isEmpty() ? "none" : list)
                + ")");
        return Exit.INPUT;
      }
    }
    var gitops = GitOps.of(r.getMetadata());
    if (gitops.isPresent() && !force) {
      err.print(whatToCommit(ns, name, to, gitops.get()));
      err.flush();
      return Exit.INPUT;
    }
    gitops.ifPresent(
        g ->
            err.println(
                "pyrelease rollback: --force: "
                    + g.tool()
                    + " ("
                    + g.owner()
                    + ") may put spec.revision back at its next sync"));
    // "add" sets the field whether or not it exists; the patch names no other field
    resource.patch(
        PatchContext.of(PatchType.JSON),
        "[{\"op\":\"add\",\"path\":\"/spec/revision\",\"value\":" + to + "}]");
    out.println(ns + "/" + name + ": spec.revision set to " + to);
    out.flush();
    return Exit.OK;
  }

  /** The refusal under a GitOps tool: what to commit, and how to patch anyway. */
  static String whatToCommit(String ns, String name, int to, GitOps g) {
    return "pyrelease rollback: "
        + ns
        + "/"
        + name
        + " is managed by "
        + g.tool()
        + " ("
        + g.owner()
        + "): a patch of spec.revision would be put back at its next sync.\n"
        + "Commit this to the PythonRelease's manifest in git instead:\n\n"
        + "  spec:\n"
        + "    revision: "
        + to
        + "\n\n"
        + "(remove the line again to follow the latest build). To patch the live object anyway"
        + " (e.g. while "
        + (g.tool().equals("Flux") ? "the Kustomization is suspended" : "self-heal is off")
        + "), run again with --force.\n";
  }
}
