package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** A PodDisruptionBudget for one process' pods of the serving revision. */
@ValidationRule(
    value = "has(self.minAvailable) != has(self.maxUnavailable)",
    message = "set exactly one of disruption.minAvailable or disruption.maxUnavailable")
public class DisruptionSpec {
  @JsonPropertyDescription(
      "Pods that must stay available during voluntary disruptions (number or percent).")
  private IntOrString minAvailable;

  @JsonPropertyDescription(
      "Pods that may be unavailable during voluntary disruptions (number or percent).")
  private IntOrString maxUnavailable;

  public IntOrString getMinAvailable() {
    return minAvailable;
  }

  public void setMinAvailable(IntOrString minAvailable) {
    this.minAvailable = minAvailable;
  }

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }
}
