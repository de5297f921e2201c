package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A git repository at a ref. */
public class GitSource {
  @Required
  @JsonPropertyDescription("Clone URL (https://, ssh://, git@host:path or file://).")
  private String url;

  @Required
  @JsonPropertyDescription(
      "Branch, tag or full commit SHA. Branches and tags are resolved to a commit at each build;"
          + " the commit is recorded in the revision.")
  private String ref;

  @JsonPropertyDescription(
      "Secret with git credentials (keys `username` and `password`, or `ssh-privatekey`).")
  private SecretRef secretRef;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRef() {
    return ref;
  }

  public void setRef(String ref) {
    this.ref = ref;
  }

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }
}
