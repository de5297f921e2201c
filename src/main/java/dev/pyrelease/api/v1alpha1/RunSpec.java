package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The web process: the one the Service sends traffic to. Its Deployment is {@code <name>-r<N>} and
 * its pods are labelled {@code pyrelease.dev/process: web}.
 */
public class RunSpec extends WorkloadSpec {
  @Min(1)
  @Max(65535)
  @Default("8000")
  @JsonPropertyDescription("The port the application listens on; the Service targets it.")
  private Integer port = 8000;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }
}
