package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Per-distribution allowances of the closure check, which otherwise stays on. */
public class ClosureSpec {
  @JsonPropertyDescription(
      "Distributions the release may go without: a missing or conflicting requirement on one of"
          + " them is reported with its reason but does not fail the build. Anything else still"
          + " does (unlike closureCheck: false, which turns the whole check off).")
  private List<ClosureIgnore> ignore = new ArrayList<>();

  public List<ClosureIgnore> getIgnore() {
    return ignore;
  }

  public void setIgnore(List<ClosureIgnore> ignore) {
    this.ignore = ignore;
  }
}
