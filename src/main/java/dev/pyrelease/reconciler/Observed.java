package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster holds for one release, read from the informer caches at the start of a
 * reconcile: its build and hook Jobs, their pods, its Deployments (one per process and revision),
 * its Service, and the objects that follow the serving revision (CronJobs, autoscalers, disruption
 * budgets).
 */
public record Observed(
    PythonRelease release,
    List<Job> jobs,
    List<Pod> pods,
    List<Deployment> deployments,
    Service service,
    List<CronJob> cronJobs,
    List<HorizontalPodAutoscaler> autoscalers,
    List<PodDisruptionBudget> budgets) {

  /** For tests and callers that have no serving objects to show. */
  public Observed(
      PythonRelease release,
      List<Job> jobs,
      List<Pod> pods,
      List<Deployment> deployments,
      Service service) {
    this(release, jobs, pods, deployments, service, List.of(), List.of(), List.of());
  }

  public List<Job> buildJobs() {
    return jobs.stream()
        .filter(j -> "build".equals(label(j.getMetadata().getLabels(), Labels.COMPONENT)))
        .toList();
  }

  public Optional<Job> hookJob(int revision, String hook) {
    String name = Labels.hookJobName(release.getMetadata().getName(), revision, hook);
    return jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
  }

  /** The web Deployment of a revision. */
  public Optional<Deployment> deployment(int revision) {
    return deployment(revision, Labels.WEB);
  }

  public Optional<Deployment> deployment(int revision, String process) {
    String name = Labels.deploymentName(release.getMetadata().getName(), revision, process);
    return deployments.stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst();
  }

  /** The autoscaler of a process (one per process, following the serving revision). */
  public Optional<HorizontalPodAutoscaler> autoscaler(String process) {
    String name = Labels.processObjectName(release.getMetadata().getName(), process);
    return autoscalers.stream().filter(h -> name.equals(h.getMetadata().getName())).findFirst();
  }

  public Optional<PodDisruptionBudget> budget(String process) {
    String name = Labels.processObjectName(release.getMetadata().getName(), process);
    return budgets.stream().filter(b -> name.equals(b.getMetadata().getName())).findFirst();
  }

  public Optional<CronJob> cronJob(String schedule) {
    String name = Labels.cronJobName(release.getMetadata().getName(), schedule);
    return cronJobs.stream().filter(c -> name.equals(c.getMetadata().getName())).findFirst();
  }

  /** Every Deployment of a revision, whatever its process. */
  public List<Deployment> deploymentsOf(int revision) {
    return deployments.stream().filter(d -> Labels.revisionOf(d) == revision).toList();
  }

  /** Whether the Deployment runs the web process (those made before processes carry no label). */
  public static boolean isWeb(Deployment d) {
    String p = Labels.processOf(d);
    return p == null || Labels.WEB.equals(p);
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
