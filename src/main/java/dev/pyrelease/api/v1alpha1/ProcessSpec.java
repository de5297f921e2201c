package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * A long-running process other than web (a queue worker, a consumer), in the same image and the
 * same revision as web: its Deployment is {@code <name>-r<N>-<process>}.
 */
public class ProcessSpec extends WorkloadSpec {
  @Min(0)
  @Default("0")
  @JsonPropertyDescription(
      "Replicas the previous revision keeps of this process for rollout.standbySeconds after a"
          + " switch. Default 0: it stops at the switch, so two revisions never consume one queue"
          + " at once; a rollback starts it again.")
  private Integer standbyReplicas = 0;

  public Integer getStandbyReplicas() {
    return standbyReplicas;
  }

  public void setStandbyReplicas(Integer standbyReplicas) {
    this.standbyReplicas = standbyReplicas;
  }
}
