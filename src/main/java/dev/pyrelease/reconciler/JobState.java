package dev.pyrelease.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/** Whether a Job is running, succeeded or failed, from its status (set by the Job controller). */
public enum JobState {
  RUNNING,
  SUCCEEDED,
  FAILED;

  public static JobState of(Job job) {
    var s = job.getStatus();
    if (s == null) {
      return RUNNING;
    }
    if (s.getConditions() != null) {
      for (JobCondition c : s.getConditions()) {
        if ("True".equals(c.getStatus())) {
          if ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType())) {
            return SUCCEEDED;
          }
          if ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType())) {
            return FAILED;
          }
        }
      }
    }
    if (s.getSucceeded() != null && s.getSucceeded() > 0) {
      return SUCCEEDED;
    }
    Integer backoff = job.getSpec() == null ? null : job.getSpec().getBackoffLimit();
    if (s.getFailed() != null && s.getFailed() > (backoff == null ? 6 : backoff)) {
      return FAILED;
    }
    return RUNNING;
  }
}
