package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The internal package index. */
@ValidationRule(
    value = "has(self.url) != has(self.findLinks)",
    message = "set exactly one of index.url or index.findLinks")
public class IndexSpec {
  @JsonPropertyDescription(
      "A PEP 503 simple index URL, passed to pip as --index-url (e.g."
          + " https://pyrepo.internal/simple/).")
  private String url;

  @JsonPropertyDescription(
      "Pages or directories listing wheel and sdist files, passed to pip as --no-index"
          + " --find-links.")
  private List<String> findLinks;

  @JsonPropertyDescription(
      "Secret with index credentials: key `netrc`, a netrc file (`machine HOST login USER"
          + " password PASS`), mounted only into the build's venv step and sent as HTTP basic auth.")
  private SecretRef secretRef;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public List<String> getFindLinks() {
    return findLinks;
  }

  public void setFindLinks(List<String> findLinks) {
    this.findLinks = findLinks;
  }

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }
}
