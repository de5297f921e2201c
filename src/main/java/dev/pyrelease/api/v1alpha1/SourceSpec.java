package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** The application's source. */
public class SourceSpec {
  @Required
  @JsonPropertyDescription("The git repository and the ref to build.")
  private GitSource git;

  @Default(".")
  @JsonPropertyDescription(
      "The application directory inside the repository, relative to its root (default `.`).")
  private String path = ".";

  public GitSource getGit() {
    return git;
  }

  public void setGit(GitSource git) {
    this.git = git;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
