package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * What every long-running process of a release has: the web process ({@code spec.run}) and the
 * others ({@code spec.processes}). All run the revision's one image.
 */
public abstract class WorkloadSpec {
  @Required
  @Size(min = 1)
  @JsonPropertyDescription(
      "The command and its arguments, run from the virtualenv (its bin/ is first on PATH), e.g."
          + " [gunicorn, shop.wsgi, -b, 0.0.0.0:8000].")
  private List<String> command;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription(
      "Replicas of the serving revision. With autoscaling the autoscaler owns the count and this is"
          + " only the first revision's starting point.")
  private Integer replicas = 1;

  @JsonPropertyDescription(
      "Environment variables of this process' container (after spec.pod.env, which they"
          + " override).")
  private List<EnvVar> env;

  @JsonPropertyDescription("Resources of this process' container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Readiness probe. Default for the web process: a TCP check of its port; none for the others"
          + " (a process without one is ready when it runs).")
  private Probe readinessProbe;

  @JsonPropertyDescription("Liveness probe: the kubelet restarts the container when it fails.")
  private Probe livenessProbe;

  @JsonPropertyDescription(
      "Startup probe: liveness and readiness wait until it succeeds (slow imports, warm-up).")
  private Probe startupProbe;

  @JsonPropertyDescription(
      "A HorizontalPodAutoscaler for this process, always targeting the serving revision's"
          + " Deployment; a new revision starts at the count it holds.")
  private AutoscalingSpec autoscaling;

  @JsonPropertyDescription("A PodDisruptionBudget for this process' pods of the serving revision.")
  private DisruptionSpec disruption;

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Probe getReadinessProbe() {
    return readinessProbe;
  }

  public void setReadinessProbe(Probe readinessProbe) {
    this.readinessProbe = readinessProbe;
  }

  public Probe getLivenessProbe() {
    return livenessProbe;
  }

  public void setLivenessProbe(Probe livenessProbe) {
    this.livenessProbe = livenessProbe;
  }

  public Probe getStartupProbe() {
    return startupProbe;
  }

  public void setStartupProbe(Probe startupProbe) {
    this.startupProbe = startupProbe;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public DisruptionSpec getDisruption() {
    return disruption;
  }

  public void setDisruption(DisruptionSpec disruption) {
    this.disruption = disruption;
  }
}
