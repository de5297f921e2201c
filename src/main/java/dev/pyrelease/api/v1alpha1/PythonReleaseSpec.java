package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

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
  @JsonPropertyDescription(
      "The web process: command, port, replicas, probes, autoscaling. The Service sends traffic to"
          + " it.")
  private RunSpec run;

  @ValidationRule(
      value = "!('web' in self)",
      message = "'web' is spec.run; name the process otherwise")
  @JsonPropertyDescription(
      "Other long-running processes (queue workers, consumers) by name, in the same image and"
          + " revision as web: created with it, switched with it, rolled back with it.")
  private Map<String, ProcessSpec> processes;

  @JsonPropertyDescription(
      "Scheduled commands, as CronJobs that always run the serving revision's image.")
  private List<ScheduleSpec> schedules;

  @JsonPropertyDescription("Commands run in the build after the virtualenv is installed.")
  private BuildSpec build;

  @JsonPropertyDescription(
      "Settings of every pod the release runs (processes, schedules, hooks): pull secrets, service"
          + " account, scheduling, volumes, env.")
  private PodOptions pod;

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

  public Map<String, ProcessSpec> getProcesses() {
    return processes;
  }

  public void setProcesses(Map<String, ProcessSpec> processes) {
    this.processes = processes;
  }

  public List<ScheduleSpec> getSchedules() {
    return schedules;
  }

  public void setSchedules(List<ScheduleSpec> schedules) {
    this.schedules = schedules;
  }

  public BuildSpec getBuild() {
    return build;
  }

  public void setBuild(BuildSpec build) {
    this.build = build;
  }

  public PodOptions getPod() {
    return pod;
  }

  public void setPod(PodOptions pod) {
    this.pod = pod;
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
