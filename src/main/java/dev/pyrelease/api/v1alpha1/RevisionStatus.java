package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One retained revision: an immutable build plus its rollout state. */
public class RevisionStatus {
  @JsonPropertyDescription("Revision number, increasing from 1.")
  private Integer number;

  @JsonPropertyDescription("The git commit built.")
  private String commit;

  @JsonPropertyDescription("sha256 of the normalised requirement lines.")
  private String requirementsSha256;

  @JsonPropertyDescription(
      "sha256 of commit, requirements, index, base image and builder version: an equal key"
          + " re-activates this revision instead of building.")
  private String buildKey;

  @JsonPropertyDescription(
      "The base image the revision was built on, pinned to its digest (repository:tag@sha256:...):"
          + " which revisions run an unpatched base.")
  private String baseImage;

  @JsonPropertyDescription(
      "The distributions the image installs, as name==version (PEP 503 names, sorted): its pinned"
          + " requirements, which are exactly what the build installs (pip --no-deps of each pin;"
          + " the closure check fails a build that would need more). A pin with an environment"
          + " marker is listed whether or not the marker holds for the base's interpreter. `pyrelease"
          + " audit` reads them; absent on revisions recorded before they were kept.")
  private java.util.List<String> distributions;

  @JsonPropertyDescription("The image, repository@sha256:...")
  private String image;

  @JsonPropertyDescription(
      "When this revision was not built for this release: whose build it is (namespace/name"
          + " revision N) and how it came (reused: the same image; copied: mounted into this"
          + " release's repository under the same digest). A build key is built once in the"
          + " cluster.")
  private String reusedFrom;

  @JsonPropertyDescription("When the build finished (RFC 3339).")
  private String builtAt;

  @JsonPropertyDescription(
      "When it first took traffic (RFC 3339). A revision that has served switches back as soon as"
          + " web is available; one that never has waits for every process.")
  private String servedAt;

  @JsonPropertyDescription("Standby, Active, Retired or Failed.")
  private RevisionState state;

  @JsonPropertyDescription("Why the revision is in its state, when it is not obvious.")
  private String reason;

  public String getBaseImage() {
    return baseImage;
  }

  public void setBaseImage(String baseImage) {
    this.baseImage = baseImage;
  }

  public String getReusedFrom() {
    return reusedFrom;
  }

  public void setReusedFrom(String reusedFrom) {
    this.reusedFrom = reusedFrom;
  }

  public String getServedAt() {
    return servedAt;
  }

  public void setServedAt(String servedAt) {
    this.servedAt = servedAt;
  }

  public Integer getNumber() {
    return number;
  }

  public void setNumber(Integer number) {
    this.number = number;
  }

  public String getCommit() {
    return commit;
  }

  public void setCommit(String commit) {
    this.commit = commit;
  }

  public String getRequirementsSha256() {
    return requirementsSha256;
  }

  public void setRequirementsSha256(String requirementsSha256) {
    this.requirementsSha256 = requirementsSha256;
  }

  public String getBuildKey() {
    return buildKey;
  }

  public void setBuildKey(String buildKey) {
    this.buildKey = buildKey;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getBuiltAt() {
    return builtAt;
  }

  public void setBuiltAt(String builtAt) {
    this.builtAt = builtAt;
  }

  public RevisionState getState() {
    return state;
  }

  public void setState(RevisionState state) {
    this.state = state;
  }

  public java.util.List<String> getDistributions() {
    return distributions;
  }

  public void setDistributions(java.util.List<String> distributions) {
    this.distributions = distributions;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RevisionStatus r
        && Objects.equals(number, r.number)
        && Objects.equals(commit, r.commit)
        && Objects.equals(requirementsSha256, r.requirementsSha256)
        && Objects.equals(buildKey, r.buildKey)
        && Objects.equals(image, r.image)
        && Objects.equals(builtAt, r.builtAt)
        && Objects.equals(servedAt, r.servedAt)
        && Objects.equals(baseImage, r.baseImage)
        && Objects.equals(reusedFrom, r.reusedFrom)
        && Objects.equals(distributions, r.distributions)
        && state == r.state
        && Objects.equals(reason, r.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, buildKey, image, state);
  }
}
