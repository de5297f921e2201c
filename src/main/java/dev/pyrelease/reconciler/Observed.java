package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster holds for one release, read from the informer caches at the start of a
 * reconcile: its build and hook Jobs, their pods, its Deployments and its Service.
 */
public record Observed(
    PythonRelease release,
    List<Job> jobs,
    List<Pod> pods,
    List<Deployment> deployments,
    Service service) {

  public List<Job> buildJobs() {
    return jobs.stream()
        .filter(j -> "build".equals(label(j.getMetadata().getLabels(), Labels.COMPONENT)))
        .toList();
  }

  public Optional<Job> hookJob(int revision, String hook) {
    String name = Labels.hookJobName(release.getMetadata().getName(), revision, hook);
    return jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
  }

  public Optional<Deployment> deployment(int revision) {
    String name = Labels.deploymentName(release.getMetadata().getName(), revision);
    return deployments.stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst();
  }

  /** The Job's pods, found by the Job-name label (current key, or the legacy one). */
  public List<Pod> podsOf(Job job) {
    String name = job.getMetadata().getName();
    return pods.stream()
        .filter(
            p -> {
              Map<String, String> l = p.getMetadata().getLabels();
              return name.equals(label(l, Labels.JOB_NAME))
                  || name.equals(label(l, Labels.LEGACY_JOB_NAME));
            })
        .toList();
  }

  /** The build Job container names in pod order, for reporting which step failed. */
  public static List<String> buildSteps() {
    return List.of(BuildJobBuilder.SOURCE, BuildJobBuilder.VENV, BuildJobBuilder.ASSEMBLE);
  }

  private static String label(Map<String, String> labels, String key) {
    return labels == null ? null : labels.get(key);
  }

  static boolean sameName(Object a, Object b) {
    return Objects.equals(a, b);
  }
}
