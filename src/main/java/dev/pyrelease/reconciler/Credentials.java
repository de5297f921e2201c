package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.source.GitCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Git credentials from the release's {@code secretRef} Secret ({@code username}/{@code password}).
 */
final class Credentials {
  private final KubernetesClient client;

  Credentials(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @throws IllegalStateException when the Secret is missing: transient, it may be created next
   */
  GitCredentials git(String namespace, SecretRef ref) {
    if (ref == null || ref.getName() == null) {
      return GitCredentials.none();
    }
    Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (s == null) {
      throw new IllegalStateException(
          "git secret " + namespace + "/" + ref.getName() + " does not exist (yet)");
    }
    return GitCredentials.of(value(s, GitCredentials.USERNAME), value(s, GitCredentials.PASSWORD));
  }

  /**
   * The docker {@code config.json} of a {@code kubernetes.io/dockerconfigjson} Secret, or null when
   * the release names none or it does not exist (then the registry is asked anonymously; the build
   * Job, which mounts it, reports a missing Secret).
   */
  byte[] dockerConfig(String namespace, SecretRef ref) {
    if (ref == null || ref.getName() == null) {
      return null;
    }
    Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    String json = s == null ? null : value(s, ".dockerconfigjson");
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }

  private static String value(Secret s, String key) {
    Map<String, String> data = s.getData();
    if (data != null && data.get(key) != null) {
      return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
    }
    Map<String, String> plain = s.getStringData();
    return plain == null ? null : plain.get(key);
  }
}
