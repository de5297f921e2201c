package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Blue/green timing. */
public class RolloutSpec {
  @Min(0)
  @Default("600")
  @JsonPropertyDescription(
      "How long the previously active revision stays at full replicas after a switch (warm"
          + " standby: rollback within this window starts no pod).")
  private Integer standbySeconds = 600;

  @Min(1)
  @Default("600")
  @JsonPropertyDescription(
      "How long a new revision may take to become fully available before the rollout is marked"
          + " Degraded; traffic stays on the current revision.")
  private Integer progressDeadlineSeconds = 600;

  public Integer getStandbySeconds() {
    return standbySeconds;
  }

  public void setStandbySeconds(Integer standbySeconds) {
    this.standbySeconds = standbySeconds;
  }

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }
}
