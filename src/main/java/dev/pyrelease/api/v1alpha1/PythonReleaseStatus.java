package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Written by the operator only, and only when it changed. */
public class PythonReleaseStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Building, RollingOut, Ready or Failed.")
  private Phase phase;

  @JsonPropertyDescription(
      "SourceResolved, Built, Ready and Degraded; kstatus' Reconciling and Stalled; UnknownFields"
          + " when the release has fields this operator does not know; BaseImage once its base"
          + " image tag has moved or could not be checked again. The Kubernetes Condition"
          + " shape; the README lists every reason.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The revision the Service points at.")
  private Integer currentRevision;

  @JsonPropertyDescription("The image (repository@sha256:...) of the current revision.")
  private String currentImage;

  @JsonPropertyDescription("The newest revision built.")
  private Integer latestRevision;

  @JsonPropertyDescription("Every retained revision, newest first.")
  private List<RevisionStatus> revisions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getCurrentRevision() {
    return currentRevision;
  }

  public void setCurrentRevision(Integer currentRevision) {
    this.currentRevision = currentRevision;
  }

  public String getCurrentImage() {
    return currentImage;
  }

  public void setCurrentImage(String currentImage) {
    this.currentImage = currentImage;
  }

  public Integer getLatestRevision() {
    return latestRevision;
  }

  public void setLatestRevision(Integer latestRevision) {
    this.latestRevision = latestRevision;
  }

  public List<RevisionStatus> getRevisions() {
    return revisions;
  }

  public void setRevisions(List<RevisionStatus> revisions) {
    this.revisions = revisions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PythonReleaseStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && phase == s.phase
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(currentRevision, s.currentRevision)
        && Objects.equals(currentImage, s.currentImage)
        && Objects.equals(latestRevision, s.latestRevision)
        && Objects.equals(revisions, s.revisions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, currentRevision, latestRevision);
  }
}
