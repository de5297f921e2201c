package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** What to build and how to run it. The operator never writes this; GitOps tools own it. */
public class PythonReleaseSpec {
  @Required
  @JsonPropertyDescription("Where the application source comes from: a git repository at a ref.")
  private SourceSpec source;

  @Required
  @JsonPropertyDescription(
      "The pinned Python requirements: every line must be `==` one exact version (optionally with"
          + " --hash=sha256:...).")
  private RequirementsSpec requirements;

  @Required
  @JsonPropertyDescription(
      "The internal package index wheels and sdists are taken from. Builds use this index only.")
  private IndexSpec index;

  @Required
  @JsonPropertyDescription("The target interpreter and the base image that provides it.")
  private PythonSpec python;

  @Required
  @JsonPropertyDescription("Where the built images are pushed.")
  private ImageSpec image;

  @Required
  @JsonPropertyDescription("How the application runs: command, port, replicas, env, resources.")
  private RunSpec run;

  @JsonPropertyDescription("Commands run once per revision in the new image before traffic moves.")
  private HooksSpec hooks;

  @JsonPropertyDescription("Blue/green rollout timing.")
  private RolloutSpec rollout;

  @Min(1)
  @JsonPropertyDescription(
      "Pin traffic to this retained revision number (rollback). Unset: follow the latest build."
          + " A rollback never builds.")
  private Integer revision;

  @Min(1)
  @Default("10")
  @JsonPropertyDescription(
      "How many revisions (Deployments) are kept for rollback; older ones are deleted. Images are"
          + " never deleted.")
  private Integer revisionHistoryLimit = 10;

  public SourceSpec getSource() {
    return source;
  }

  public void setSource(SourceSpec source) {
    this.source = source;
  }

  public RequirementsSpec getRequirements() {
    return requirements;
  }

  public void setRequirements(RequirementsSpec requirements) {
    this.requirements = requirements;
  }

  public IndexSpec getIndex() {
    return index;
  }

  public void setIndex(IndexSpec index) {
    this.index = index;
  }

  public PythonSpec getPython() {
    return python;
  }

  public void setPython(PythonSpec python) {
    this.python = python;
  }

  public ImageSpec getImage() {
    return image;
  }

  public void setImage(ImageSpec image) {
    this.image = image;
  }

  public RunSpec getRun() {
    return run;
  }

  public void setRun(RunSpec run) {
    this.run = run;
  }

  public HooksSpec getHooks() {
    return hooks;
  }

  public void setHooks(HooksSpec hooks) {
    this.hooks = hooks;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  public Integer getRevision() {
    return revision;
  }

  public void setRevision(Integer revision) {
    this.revision = revision;
  }

  public Integer getRevisionHistoryLimit() {
    return revisionHistoryLimit;
  }

  public void setRevisionHistoryLimit(Integer revisionHistoryLimit) {
    this.revisionHistoryLimit = revisionHistoryLimit;
  }
}
