package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * A scheduled command: one CronJob, {@code <name>-<schedule>}, that always runs the serving
 * revision's image (its image moves in the same reconcile as the Service), so a schedule never runs
 * in two revisions at once.
 */
public class ScheduleSpec {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$")
  @JsonPropertyDescription(
      "Schedule name (lowercase letters, digits and '-', at most 32), unique within the release."
          + " The CronJob is named <release>-<name>, which Kubernetes limits to 52 characters.")
  private String name;

  @Required
  @JsonPropertyDescription(
      "When to run, in cron format (minute hour day-of-month month day-of-week, e.g. '*/15 * * *"
          + " *'), or @hourly, @daily, @weekly, @monthly, @yearly.")
  private String schedule;

  @JsonPropertyDescription("The time zone of the schedule (e.g. Europe/Berlin). Default: UTC.")
  private String timeZone;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription(
      "The command and its arguments, e.g. [python, manage.py, clearsessions].")
  private List<String> command;

  @Pattern("^(Allow|Forbid|Replace)$")
  @Default("Forbid")
  @JsonPropertyDescription(
      "What to do when a run is due while the previous one still runs: Forbid (skip it, the"
          + " default), Replace or Allow.")
  private String concurrencyPolicy = "Forbid";

  @Min(0)
  @JsonPropertyDescription(
      "A run missed by more than this many seconds (operator down, cluster busy) is skipped.")
  private Long startingDeadlineSeconds;

  @Min(1)
  @JsonPropertyDescription("A run taking longer than this many seconds is stopped.")
  private Long activeDeadlineSeconds;

  @Min(0)
  @Default("0")
  @JsonPropertyDescription("Retries of a failed run. Default 0.")
  private Integer backoffLimit = 0;

  @JsonPropertyDescription("Suspend the schedule (runs already started finish).")
  private Boolean suspend;

  @JsonPropertyDescription(
      "Environment variables of the run (after spec.pod.env, which they override).")
  private List<EnvVar> env;

  @JsonPropertyDescription("Resources of the run's container.")
  private ResourceRequirements resources;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public String getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(String concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public Long getStartingDeadlineSeconds() {
    return startingDeadlineSeconds;
  }

  public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
    this.startingDeadlineSeconds = startingDeadlineSeconds;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
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
}
