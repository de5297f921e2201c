package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Label and annotation keys and object names shared by everything the operator creates. */
public final class Labels {
  public static final String RELEASE = "pyrelease.dev/release";
  public static final String REVISION = "pyrelease.dev/revision";
  public static final String HOOK = "pyrelease.dev/hook";

  /**
   * On process Deployments and their pods, HPAs and PDBs: {@code web} for spec.run, else its key.
   */
  public static final String PROCESS = "pyrelease.dev/process";

  /** On CronJobs and their Jobs and pods: the schedule's name. */
  public static final String SCHEDULE = "pyrelease.dev/schedule";

  /** The process name of spec.run. */
  public static final String WEB = "web";

  public static final String COMPONENT = "pyrelease.dev/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** On build Jobs: the build key the Job builds, so a restarted operator can adopt it. */
  public static final String BUILD_KEY = "pyrelease.dev/build-key";

  /** On build Jobs: the commit, so a finished Job can be recorded without re-resolving. */
  public static final String COMMIT = "pyrelease.dev/commit";

  /** On build Jobs: sha256 of the normalised requirement lines. */
  public static final String REQUIREMENTS_SHA = "pyrelease.dev/requirements-sha256";

  /** On Deployments: when it stopped serving (RFC 3339); kept warm until + standbySeconds. */
  public static final String STANDBY_SINCE = "pyrelease.dev/standby-since";

  /** On web Deployments: when the revision first took traffic (RFC 3339); written once. */
  public static final String SERVED_AT = "pyrelease.dev/served-at";

  /** On Deployments: when it was last scaled up, for the progress deadline (RFC 3339). */
  public static final String ROLLOUT_STARTED = "pyrelease.dev/rollout-started";

  /**
   * On objects the operator put a hand-changed field back on: when (RFC 3339). At most one repair a
   * minute per object, so a server that rewrites a value its own way cannot start a write loop.
   */
  public static final String DRIFT_REPAIRED = "pyrelease.dev/drift-repaired-at";

  /** On Deployments: hash of the desired spec without replicas, to detect drift cheaply. */
  public static final String SPEC_HASH = "pyrelease.dev/spec-hash";

  public static final String JOB_NAME = "batch.kubernetes.io/job-name";
  public static final String LEGACY_JOB_NAME = "job-name";

  private Labels() {}

  public static Map<String, String> release(PythonRelease r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(RELEASE, r.getMetadata().getName());
    m.put(MANAGED_BY, "pyrelease");
    return m;
  }

  public static Map<String, String> revision(PythonRelease r, int revision) {
    Map<String, String> m = release(r);
    m.put(REVISION, Integer.toString(revision));
    return m;
  }

  /** The labels of one process' pods of one revision. */
  public static Map<String, String> process(PythonRelease r, int revision, String process) {
    Map<String, String> m = revision(r, revision);
    m.put(PROCESS, process);
    return m;
  }

  /**
   * The selector of one process of one revision (the web one is the Service's): equality selectors
   * only.
   */
  public static Map<String, String> selector(String releaseName, int revision, String process) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(RELEASE, releaseName);
    m.put(REVISION, Integer.toString(revision));
    m.put(PROCESS, process);
    return m;
  }

  /**
   * The metadata of an object that follows the serving revision of one process (its HPA, its PDB):
   * named after the process, labelled with the revision it follows, owned by the release.
   */
  public static io.fabric8.kubernetes.api.model.ObjectMeta processObject(
      PythonRelease r, String process, int revision) {
    return new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(processObjectName(r.getMetadata().getName(), process))
        .withNamespace(r.getMetadata().getNamespace())
        .withLabels(process(r, revision, process))
        .withOwnerReferences(owner(r))
        .build();
  }

  public static OwnerReference owner(PythonRelease r) {
    return new OwnerReferenceBuilder()
        .withApiVersion(r.getApiVersion())
        .withKind(r.getKind())
        .withName(r.getMetadata().getName())
        .withUid(r.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The web process keeps the name it had before processes existed: {@code <name>-r<N>}. */
  public static String deploymentName(String release, int revision) {
    return release + "-r" + revision;
  }

  public static String deploymentName(String release, int revision, String process) {
    return WEB.equals(process)
        ? deploymentName(release, revision)
        : release + "-r" + revision + "-" + process;
  }

  /** The HPA and the PDB of a process: one each, following the serving revision. */
  public static String processObjectName(String release, String process) {
    return release + "-" + process;
  }

  public static String cronJobName(String release, String schedule) {
    return release + "-" + schedule;
  }

  public static String buildJobName(String release, int revision) {
    return release + "-build-r" + revision;
  }

  public static String hookJobName(String release, int revision, String hook) {
    return release + "-r" + revision + "-" + hook;
  }

  /** The revision number on an object, or -1 when it has none. */
  public static int revisionOf(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    String v = l == null ? null : l.get(REVISION);
    try {
      return v == null ? -1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The process of an object, or null. */
  public static String processOf(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? null : l.get(PROCESS);
  }

  public static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }
}
