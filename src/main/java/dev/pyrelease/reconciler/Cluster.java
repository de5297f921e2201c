package dev.pyrelease.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * The operator's writes to secondary resources: plain create / update / delete, no server-side
 * apply (see {@code PyreleaseOperator} for why). Updates carry the cached resourceVersion, so a
 * concurrent change answers 409 and the reconcile is retried on fresh data.
 */
final class Cluster {
  private final KubernetesClient client;

  Cluster(KubernetesClient client) {
    this.client = client;
  }

  KubernetesClient client() {
    return client;
  }

  /**
   * Creates the object; an object of that name already existing is success (a stale cache, or a
   * restarted operator: names are deterministic, so this is what prevents duplicates).
   *
   * @return true when this call created it
   */
  <T extends HasMetadata> boolean create(T desired) {
    try {
      client.resource(desired).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** Replaces the object, guarded by its resourceVersion (409 on a concurrent change). */
  <T extends HasMetadata> T update(T changed) {
    return client.resource(changed).update();
  }

  <T extends HasMetadata> void delete(T existing) {
    client.resource(existing).withTimeoutInMillis(0).delete();
  }
}
