package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Lifecycle hooks. */
public class HooksSpec {
  @JsonPropertyDescription(
      "Run in order, once per revision, as Jobs in the new image before traffic moves (e.g."
          + " database migrations). A failing hook keeps traffic where it is.")
  private List<Hook> preRollout;

  public List<Hook> getPreRollout() {
    return preRollout;
  }

  public void setPreRollout(List<Hook> preRollout) {
    this.preRollout = preRollout;
  }
}
