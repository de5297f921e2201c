package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The builds of every release in the cluster, found by build key through informer indexes (not a
 * scan of the caches): the build Jobs with a key, the build Jobs running anywhere, and the releases
 * that have a revision built for a key. What one build per build key and the cluster-wide build
 * limit are decided on.
 */
final class ClusterBuilds {
  static final String JOBS_BY_KEY = "pyrelease.dev/build-key";
  static final String RUNNING_BUILDS = "pyrelease.dev/running-build";
  static final String RELEASES_BY_KEY = "pyrelease.dev/revision-build-key";
  private static final String RUNNING = "running";

  /** Adds the indexes; before the informers start. */
  static void index(
      InformerEventSource<Job, PythonRelease> jobs, IndexerResourceCache<PythonRelease> releases) {
    jobs.addIndexers(
        Map.of(
            JOBS_BY_KEY,
            j -> {
              String key = isBuild(j) ? Labels.annotation(j, Labels.BUILD_KEY) : null;
              return key == null ? List.of() : List.of(key);
            },
            RUNNING_BUILDS,
            j -> isBuild(j) && JobState.of(j) == JobState.RUNNING ? List.of(RUNNING) : List.of()));
    releases.addIndexers(
        Map.of(
            RELEASES_BY_KEY,
            r ->
                r.getStatus() == null
                    ? List.of()
                    : r.getStatus().getRevisions().stream()
                        .filter(x -> x.getImage() != null && x.getBuildKey() != null)
                        .map(RevisionStatus::getBuildKey)
                        .distinct()
                        .toList()));
  }

  private static boolean isBuild(Job j) {
    Map<String, String> l = j.getMetadata().getLabels();
    return l != null && "build".equals(l.get(Labels.COMPONENT));
  }

  private final IndexedResourceCache<PythonRelease> releases;
  private final InformerEventSource<Job, PythonRelease> jobs;
  private final InformerEventSource<Pod, PythonRelease> pods;

  @SuppressWarnings("unchecked")
  static ClusterBuilds of(Context<PythonRelease> context) {
    var retriever = context.eventSourceRetriever();
    return new ClusterBuilds(
        context.getPrimaryCache(),
        (InformerEventSource<Job, PythonRelease>) retriever.getEventSourceFor(Job.class),
        (InformerEventSource<Pod, PythonRelease>) retriever.getEventSourceFor(Pod.class));
  }

  private ClusterBuilds(
      IndexedResourceCache<PythonRelease> releases,
      InformerEventSource<Job, PythonRelease> jobs,
      InformerEventSource<Pod, PythonRelease> pods) {
    this.releases = releases;
    this.jobs = jobs;
    this.pods = pods;
  }

  /** Build Jobs of every release with this key. */
  List<Job> jobsWithKey(String key) {
    return jobs.byIndex(JOBS_BY_KEY, key);
  }

  /** Build Jobs running in the cluster, as {@code namespace/name}. */
  Set<String> running() {
    return jobs.byIndex(RUNNING_BUILDS, RUNNING).stream()
        .map(ClusterBuilds::name)
        .collect(Collectors.toSet());
  }

  /** Releases with a revision built for this key. */
  List<PythonRelease> releasesWithKey(String key) {
    return releases.byIndex(RELEASES_BY_KEY, key);
  }

  Optional<PythonRelease> release(String namespace, String name) {
    return releases.get(new ResourceID(name, namespace));
  }

  /** The pods of a Job, in its namespace. */
  List<Pod> podsOf(Job job) {
    String name = job.getMetadata().getName();
    return pods.list(
            job.getMetadata().getNamespace(),
            p ->
                p.getMetadata().getLabels() != null
                    && (name.equals(p.getMetadata().getLabels().get(Labels.JOB_NAME))
                        || name.equals(p.getMetadata().getLabels().get(Labels.LEGACY_JOB_NAME))))
        .toList();
  }

  static String name(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
