package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A HorizontalPodAutoscaler (autoscaling/v2) for one process. */
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not exceed maxReplicas")
public class AutoscalingSpec {
  @Min(1)
  @JsonPropertyDescription("Fewest replicas. Default: 1.")
  private Integer minReplicas;

  @Required
  @Min(1)
  @JsonPropertyDescription("Most replicas.")
  private Integer maxReplicas;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Average CPU utilisation to keep, in percent of the container's CPU request. Default: 80"
          + " when no memory target is set.")
  private Integer targetCPUUtilizationPercentage;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Average memory utilisation to keep, in percent of the container's memory request.")
  private Integer targetMemoryUtilizationPercentage;

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getTargetCPUUtilizationPercentage() {
    return targetCPUUtilizationPercentage;
  }

  public void setTargetCPUUtilizationPercentage(Integer targetCPUUtilizationPercentage) {
    this.targetCPUUtilizationPercentage = targetCPUUtilizationPercentage;
  }

  public Integer getTargetMemoryUtilizationPercentage() {
    return targetMemoryUtilizationPercentage;
  }

  public void setTargetMemoryUtilizationPercentage(Integer targetMemoryUtilizationPercentage) {
    this.targetMemoryUtilizationPercentage = targetMemoryUtilizationPercentage;
  }
}
