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
      "To follow the latest build again, remove spec.revision (e.g. with kubectl edit)."
    })
final class RollbackCommand extends ClusterCommand {
  @Option(names = "--to", required = true, paramLabel = "N", description = "The revision number.")
  int to;

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
    // "add" sets the field whether or not it exists; the patch names no other field
    resource.patch(
        PatchContext.of(PatchType.JSON),
        "[{\"op\":\"add\",\"path\":\"/spec/revision\",\"value\":" + to + "}]");
    out.println(ns + "/" + name + ": spec.revision set to " + to);
    out.flush();
    return Exit.OK;
  }
}
