package dev.pyrelease.kube;

import dev.pyrelease.http.Digests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;

/**
 * The {@link Labels#SPEC_HASH} annotation: a short sha256 of an object's desired spec, so a
 * reconcile compares one annotation instead of a spec the API server has defaulted.
 */
public final class SpecHash {
  private SpecHash() {}

  public static String of(Object spec) {
    return Digests.sha256(Serialization.asJson(spec)).substring(0, 32);
  }

  /** Puts the hash of {@code spec} on {@code object} and returns the object. */
  static <T extends HasMetadata> T annotate(T object, Object spec) {
    if (object.getMetadata().getAnnotations() == null) {
      object.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    object.getMetadata().getAnnotations().put(Labels.SPEC_HASH, of(spec));
    return object;
  }
}
