package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/**
 * Settings of every pod the release runs in its image: the processes, the schedules' runs and the
 * hook Jobs. The operator's hardening (non-root, read-only root file system, no privilege
 * escalation, no capabilities, RuntimeDefault seccomp) is not among them and cannot be weakened.
 */
public class PodOptions {
  @JsonPropertyDescription(
      "Secrets to pull the release image with (a private registry); also used by hook Jobs and"
          + " schedules.")
  private List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription("The service account the pods run as. Default: the namespace's default.")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "Mount the service account's API token. Default false: an app rarely needs the Kubernetes"
          + " API.")
  private Boolean automountServiceAccountToken;

  @JsonPropertyDescription("Node labels the pods must be scheduled on.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints the pods tolerate.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Node and pod (anti-)affinity of the pods.")
  private Affinity affinity;

  @JsonPropertyDescription(
      "How the pods spread over zones or nodes; a constraint without labelSelector selects the"
          + " pods of the same process and revision.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription("Priority class of the pods.")
  private String priorityClassName;

  @JsonPropertyDescription(
      "Volumes of the pods: configMap, secret, emptyDir, projected, downwardAPI or"
          + " persistentVolumeClaim (others, such as hostPath, are refused). 'tmp' is taken: /tmp"
          + " is always a writable emptyDir.")
  private List<Volume> volumes;

  @JsonPropertyDescription(
      "Where the volumes are mounted, in every container the release runs (not over /tmp).")
  private List<VolumeMount> volumeMounts;

  @JsonPropertyDescription("Environment variables of every container the release runs.")
  private List<EnvVar> env;

  @JsonPropertyDescription(
      "ConfigMaps and Secrets whose keys become environment variables of every container.")
  private List<EnvFromSource> envFrom;

  @JsonPropertyDescription("Annotations of the pods (e.g. for a service mesh or log shipper).")
  private Map<String, String> annotations;

  @JsonPropertyDescription(
      "Labels of the pods; the operator's own (pyrelease.dev/*, app.kubernetes.io/managed-by)"
          + " win.")
  private Map<String, String> labels;

  @Min(0)
  @JsonPropertyDescription(
      "Seconds a pod has to exit after SIGTERM before it is killed. Default: Kubernetes' 30.")
  private Long terminationGracePeriodSeconds;

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public Boolean getAutomountServiceAccountToken() {
    return automountServiceAccountToken;
  }

  public void setAutomountServiceAccountToken(Boolean automountServiceAccountToken) {
    this.automountServiceAccountToken = automountServiceAccountToken;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(
      List<TopologySpreadConstraint> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public List<Volume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<Volume> volumes) {
    this.volumes = volumes;
  }

  public List<VolumeMount> getVolumeMounts() {
    return volumeMounts;
  }

  public void setVolumeMounts(List<VolumeMount> volumeMounts) {
    this.volumeMounts = volumeMounts;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<EnvFromSource> getEnvFrom() {
    return envFrom;
  }

  public void setEnvFrom(List<EnvFromSource> envFrom) {
    this.envFrom = envFrom;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Long getTerminationGracePeriodSeconds() {
    return terminationGracePeriodSeconds;
  }

  public void setTerminationGracePeriodSeconds(Long terminationGracePeriodSeconds) {
    this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
  }
}
