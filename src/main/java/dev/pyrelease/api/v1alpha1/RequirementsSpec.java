package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** The pinned requirements: a file in the repository, or the lines themselves. */
@ValidationRule(
    value = "has(self.file) != has(self.inline)",
    message = "set exactly one of requirements.file or requirements.inline")
public class RequirementsSpec {
  @JsonPropertyDescription(
      "Path of a pip requirements file in the repository, relative to source.path (e.g."
          + " requirements/prod.txt). Its -r/-c includes are followed inside the repository.")
  private String file;

  @JsonPropertyDescription("The requirement lines themselves, in pip requirements-file format.")
  private String inline;

  @Default("false")
  @JsonPropertyDescription(
      "Require a --hash=sha256:... on every requirement and install with pip --require-hashes.")
  private Boolean requireHashes = false;

  @Default("true")
  @JsonPropertyDescription(
      "Fail the build when an installed distribution needs a dependency that is not pinned, or"
          + " pins a version it does not accept (pip runs with --no-deps, so nothing else finds"
          + " this before import time).")
  private Boolean closureCheck = true;

  @JsonPropertyDescription(
      "Fine-grained closure check: distributions the release may go without, each with a reason"
          + " (closure.ignore), while the check stays on for everything else.")
  private ClosureSpec closure;

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public String getInline() {
    return inline;
  }

  public void setInline(String inline) {
    this.inline = inline;
  }

  public Boolean getRequireHashes() {
    return requireHashes;
  }

  public void setRequireHashes(Boolean requireHashes) {
    this.requireHashes = requireHashes;
  }

  public Boolean getClosureCheck() {
    return closureCheck;
  }

  public void setClosureCheck(Boolean closureCheck) {
    this.closureCheck = closureCheck;
  }

  public ClosureSpec getClosure() {
    return closure;
  }

  public void setClosure(ClosureSpec closure) {
    this.closure = closure;
  }
}
