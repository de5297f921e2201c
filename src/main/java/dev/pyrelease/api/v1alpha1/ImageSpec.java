package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where images go. */
public class ImageSpec {
  @Required
  @JsonPropertyDescription(
      "Image repository without tag or digest (e.g. registry.internal/web/shop). Release images"
          + " are referenced by digest; dependency images are tagged deps-<key> here.")
  private String repository;

  @JsonPropertyDescription(
      "Secret of type kubernetes.io/dockerconfigjson with push credentials for the repository.")
  private SecretRef pushSecretRef;

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public SecretRef getPushSecretRef() {
    return pushSecretRef;
  }

  public void setPushSecretRef(SecretRef pushSecretRef) {
    this.pushSecretRef = pushSecretRef;
  }
}
