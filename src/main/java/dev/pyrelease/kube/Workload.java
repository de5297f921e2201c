package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.ProcessSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RunSpec;
import dev.pyrelease.api.v1alpha1.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One long-running process of a release: {@code web} (spec.run, the one the Service selects) or a
 * named entry of spec.processes.
 */
public record Workload(String name, WorkloadSpec spec) {
  public boolean web() {
    return Labels.WEB.equals(name);
  }

  /** The port web listens on; null for the other processes. */
  public Integer port() {
    if (spec instanceof RunSpec run) {
      return run.getPort() == null ? 8000 : run.getPort();
    }
    return null;
  }

  public int replicas() {
    return spec.getReplicas() == null ? 1 : spec.getReplicas();
  }

  /** Replicas a revision keeps of this process while it stands by after a switch. */
  public int standbyReplicas() {
    if (spec instanceof ProcessSpec p) {
      return p.getStandbyReplicas() == null ? 0 : p.getStandbyReplicas();
    }
    return replicas(); // web stays warm at full size: a rollback is a selector flip
  }

  /** Web first, then the other processes by name. */
  public static List<Workload> of(PythonRelease release) {
    List<Workload> all = new ArrayList<>();
    all.add(new Workload(Labels.WEB, release.getSpec().getRun()));
    Map<String, ProcessSpec> others = release.getSpec().getProcesses();
    if (others != null) {
      new TreeMap<>(others).forEach((name, spec) -> all.add(new Workload(name, spec)));
    }
    return all;
  }
}
