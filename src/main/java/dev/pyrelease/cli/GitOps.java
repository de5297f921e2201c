package dev.pyrelease.cli;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Optional;

/**
 * Which GitOps tool manages an object, read from the labels and annotations it puts there: a patch
 * of such an object is put back at the tool's next sync (Argo CD with self-heal, Flux at every
 * interval), so a change belongs in git. Pure.
 *
 * @param tool "Argo CD", "Flux"
 * @param owner what syncs it, e.g. {@code Application shop} or {@code Kustomization
 *     flux-system/apps}
 */
record GitOps(String tool, String owner) {
  static final String ARGO_INSTANCE = "argocd.argoproj.io/instance";
  static final String ARGO_TRACKING_ID = "argocd.argoproj.io/tracking-id";
  static final String APP_INSTANCE = "app.kubernetes.io/instance";
  static final String FLUX_KUSTOMIZATION = "kustomize.toolkit.fluxcd.io/name";
  static final String FLUX_KUSTOMIZATION_NS = "kustomize.toolkit.fluxcd.io/namespace";
  static final String FLUX_HELMRELEASE = "helm.toolkit.fluxcd.io/name";
  static final String FLUX_HELMRELEASE_NS = "helm.toolkit.fluxcd.io/namespace";

  /**
   * The tool managing {@code meta}, if any. Argo CD: its tracking annotation ({@code
   * <app>:<group>/<kind>:<ns>/<name>}), its instance label, or the {@code
   * app.kubernetes.io/instance} label (Argo CD's default label tracking) together with any other
   * {@code argocd.argoproj.io/} annotation — that label alone is set by Helm and others too. Flux:
   * the labels its kustomize-controller and helm-controller set on what they apply.
   */
  static Optional<GitOps> of(ObjectMeta meta) {
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    Map<String, String> annotations =
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    String tracking = annotations.get(ARGO_TRACKING_ID);
    if (tracking != null && !tracking.isBlank()) {
      int colon = tracking.indexOf(':');
      return Optional.of(
          new GitOps(
              "Argo CD", "Application " + (colon < 0 ? tracking : tracking.substring(0, colon))));
    }
    if (labels.get(ARGO_INSTANCE) != null) {
      return Optional.of(new GitOps("Argo CD", "Application " + labels.get(ARGO_INSTANCE)));
    }
    if (labels.get(APP_INSTANCE) != null
        && annotations.keySet().stream().anyMatch(k -> k.startsWith("argocd.argoproj.io/"))) {
      return Optional.of(new GitOps("Argo CD", "Application " + labels.get(APP_INSTANCE)));
    }
    if (labels.get(FLUX_KUSTOMIZATION) != null) {
      return Optional.of(
          new GitOps(
              "Flux",
              "Kustomization "
                  + qualified(labels.get(FLUX_KUSTOMIZATION_NS), labels.get(FLUX_KUSTOMIZATION))));
    }
    if (labels.get(FLUX_HELMRELEASE) != null) {
      return Optional.of(
          new GitOps(
              "Flux",
              "HelmRelease "
                  + qualified(labels.get(FLUX_HELMRELEASE_NS), labels.get(FLUX_HELMRELEASE))));
    }
    return Optional.empty();
  }

  private static String qualified(String ns, String name) {
    return ns == null || ns.isBlank() ? name : ns + "/" + name;
  }
}
