package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** How the application runs. */
public class RunSpec {
  @Required
  @Size(min = 1)
  @JsonPropertyDescription(
      "The command and its arguments, run from the virtualenv (its bin/ is first on PATH), e.g."
          + " [gunicorn, shop.wsgi, -b, 0.0.0.0:8000].")
  private List<String> command;

  @Min(1)
  @Max(65535)
  @Default("8000")
  @JsonPropertyDescription("The port the application listens on; the Service targets it.")
  private Integer port = 8000;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription("Replicas of the active revision (and of a warm standby).")
  private Integer replicas = 1;

  @JsonPropertyDescription("Environment variables of the application container.")
  private List<EnvVar> env;

  @JsonPropertyDescription("Resources of the application container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Readiness probe of the application container. Default: a TCP check of the port.")
  private Probe readinessProbe;

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
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
}
