package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.source.GitCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Git credentials from the release's {@code secretRef} Secret: {@code ssh-privatekey} with {@code
 * known_hosts} (git over ssh), or {@code username}/{@code password} (a password alone is a token).
 */
final class Credentials {
  private final KubernetesClient client;

  Credentials(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @throws SecretProblem when the Secret is missing (transient: it may be created next), or has an
   *     ssh key without {@code known_hosts}, or neither a key nor a password (terminal until it is
   *     fixed)
   */
  GitCredentials git(String namespace, SecretRef ref) {
    if (ref == null || ref.getName() == null) {
      return GitCredentials.none();
    }
    String secret = "Secret " + namespace + "/" + ref.getName();
    Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (s == null) {
      throw new SecretProblem(
          "SecretNotFound",
          "spec.source.git.secretRef: "
              + secret
              + " does not exist (yet) \u2014 create it with the keys username and password, or"
              + " ssh-privatekey and known_hosts for an ssh URL",
          false);
    }
    String key = value(s, GitCredentials.SSH_PRIVATE_KEY);
    if (key != null && !key.isBlank()) {
      String knownHosts = value(s, GitCredentials.KNOWN_HOSTS);
      if (knownHosts == null || knownHosts.isBlank()) {
        throw new SecretProblem(
            "SecretKeyMissing",
            "spec.source.git.secretRef: "
                + secret
                + " has '"
                + GitCredentials.SSH_PRIVATE_KEY
                + "' but no '"
                + GitCredentials.KNOWN_HOSTS
                + "' (its keys: "
                + keys(s)
                + ") \u2014 the git server's host key is always checked: add its line(s), e.g."
                + " from `ssh-keyscan -p PORT HOST`, under that key",
            true);
      }
      return GitCredentials.sshKey(
              key.getBytes(StandardCharsets.UTF_8), knownHosts.getBytes(StandardCharsets.UTF_8))
          .from(secret);
    }
    String password = value(s, GitCredentials.PASSWORD);
    if (password == null) {
      throw new SecretProblem(
          "SecretKeyMissing",
          "spec.source.git.secretRef: "
              + secret
              + " has no key '"
              + GitCredentials.PASSWORD
              + "' (its keys: "
              + keys(s)
              + ") \u2014 add the password or token under that key, or '"
              + GitCredentials.SSH_PRIVATE_KEY
              + "' and '"
              + GitCredentials.KNOWN_HOSTS
              + "' for an ssh URL",
          true);
    }
    return GitCredentials.of(value(s, GitCredentials.USERNAME), password).from(secret);
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
