package dev.pyrelease.reconciler;

import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;

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

  /**
   * A Job's pods read from the API server, not the cache: only where the cache may be behind and a
   * wrong conclusion would stick (a build result read before the pod's final status).
   */
  List<Pod> podsOf(Job job) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel(Labels.JOB_NAME, job.getMetadata().getName())
        .list()
        .getItems();
  }

  <T extends HasMetadata> void delete(T existing) {
    client.resource(existing).withTimeoutInMillis(0).delete();
  }
}
