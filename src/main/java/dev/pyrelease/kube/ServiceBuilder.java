package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

/**
 * The release's one Service, {@code <name>}, selecting the active revision with equality labels
 * only (set-based selectors are not supported by Services, and switching is a one-label change).
 */
public final class ServiceBuilder {
  private ServiceBuilder() {}

  public static Service desired(PythonRelease release, int activeRevision) {
    String name = release.getMetadata().getName();
    int port =
        release.getSpec().getRun().getPort() == null ? 8000 : release.getSpec().getRun().getPort();
    return new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(release.getMetadata().getNamespace())
        .withLabels(Labels.release(release))
        .withOwnerReferences(Labels.owner(release))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(name, activeRevision, Labels.WEB))
        .withPorts(
            new ServicePortBuilder()
                .withName("http")
                .withPort(port)
                .withTargetPort(new IntOrString("http"))
                .withProtocol("TCP")
                .build())
        .endSpec()
        .build();
  }

  /** The revision a Service selects, or -1. */
  public static int selectedRevision(Service s) {
    if (s == null || s.getSpec() == null || s.getSpec().getSelector() == null) {
      return -1;
    }
    String v = s.getSpec().getSelector().get(Labels.REVISION);
    try {
      return v == null ? -1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
