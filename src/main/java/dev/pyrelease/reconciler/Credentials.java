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
   * @throws SecretProblem when the Secret is missing (transient: it may be created next) or has no
   *     password (terminal until it is fixed)
   */
  GitCredentials git(String namespace, SecretRef ref) {
    if (ref == null || ref.getName() == null) {
      return GitCredentials.none();
    }
    Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (s == null) {
      throw new SecretProblem(
          "SecretNotFound",
          "spec.source.git.secretRef: Secret "
              + namespace
              + "/"
              + ref.getName()
              + " does not exist (yet) \u2014 create it with the keys username and password",
          false);
    }
    String password = value(s, GitCredentials.PASSWORD);
    if (password == null) {
      throw new SecretProblem(
          "SecretKeyMissing",
          "spec.source.git.secretRef: Secret "
              + namespace
              + "/"
              + ref.getName()
              + " has no key '"
              + GitCredentials.PASSWORD
              + "' (its keys: "
              + keys(s)
              + ") \u2014 add the password or token under that key",
          true);
    }
    return GitCredentials.of(value(s, GitCredentials.USERNAME), password);
  }

  private static String keys(Secret s) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    if (s.getData() != null) {
      keys.addAll(s.getData().keySet());
    }
    if (s.getStringData() != null) {
      keys.addAll(s.getStringData().keySet());
    }
    return keys.isEmpty() ? "none" : String.join(", ", keys);
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
