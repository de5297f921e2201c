package dev.pyrelease.reconciler;

import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.api.v1alpha1.ImageSpec;
import dev.pyrelease.api.v1alpha1.IndexSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.api.v1alpha1.PythonSpec;
import dev.pyrelease.api.v1alpha1.RequirementsSpec;
import dev.pyrelease.api.v1alpha1.RolloutSpec;
import dev.pyrelease.api.v1alpha1.RunSpec;
import dev.pyrelease.api.v1alpha1.SourceSpec;
import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test's side of the cluster: creates releases, and plays the Job and Deployment controllers
 * and the kubelet (the mock API server has none) by writing pods and status.
 */
public final class Kube {
  static final String REPO = "registry.test/web/shop";
  static final Duration WAIT = Duration.ofSeconds(20);
  final KubernetesClient client;

  public Kube(KubernetesClient client) {
    this.client = client;
  }

  public static void installCrd(KubernetesClient client) {
    try (var in = new FileInputStream("crds/pythonreleases.pyrelease.dev-v1.yml")) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      if (client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get()
          == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void namespace(String ns) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
  }

  static PythonRelease release(String ns, String name, String ref) {
    PythonRelease r = new PythonRelease();
    r.getMetadata().setNamespace(ns);
    r.getMetadata().setName(name);
    PythonReleaseSpec s = new PythonReleaseSpec();
    SourceSpec src = new SourceSpec();
    GitSource git = new GitSource();
    git.setUrl("https://git.test/shop.git");
    git.setRef(ref);
    src.setGit(git);
    s.setSource(src);
    RequirementsSpec req = new RequirementsSpec();
    req.setInline("django==5.2.1\ngunicorn==23.0.0\n");
    s.setRequirements(req);
    IndexSpec index = new IndexSpec();
    // an index per namespace, so that the releases of one test do not share builds with another's
    // (equal build keys share one build across the cluster; OperatorBuildSharingTest makes them)
    index.setUrl("https://pyrepo.test/" + ns + "/simple/");
    s.setIndex(index);
    PythonSpec py = new PythonSpec();
    py.setVersion("3.11");
    py.setBaseImage("registry.test/python:3.11-slim");
    s.setPython(py);
    ImageSpec image = new ImageSpec();
    image.setRepository(REPO);
    s.setImage(image);
    RunSpec run = new RunSpec();
    run.setCommand(List.of("gunicorn", "shop.wsgi", "-b", "0.0.0.0:8000"));
    run.setReplicas(2);
    s.setRun(run);
    RolloutSpec ro = new RolloutSpec();
    ro.setStandbySeconds(600);
    ro.setProgressDeadlineSeconds(600);
    s.setRollout(ro);
    r.setSpec(s);
    return r;
  }

  public PythonRelease create(PythonRelease r) {
    return client.resource(r).create();
  }

  public PythonRelease get(String ns, String name) {
    return client.resources(PythonRelease.class).inNamespace(ns).withName(name).get();
  }

  /**
   * Changes the spec as a user would (kubectl edit / GitOps sync): a full update, retried on 409.
   */
  public PythonRelease editSpec(
      String ns, String name, java.util.function.Consumer<PythonReleaseSpec> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        return client
            .resources(PythonRelease.class)
            .inNamespace(ns)
            .withName(name)
            .edit(
                r -> {
                  change.accept(r.getSpec());
                  return r;
                });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  List<Job> buildJobs(String ns, String release) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withLabel(Labels.RELEASE, release)
        .withLabel(Labels.COMPONENT, "build")
        .list()
        .getItems();
  }

  public Job awaitJob(String ns, String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.batch().v1().jobs().inNamespace(ns).withName(name).get(), j -> j != null);
  }

  public Deployment awaitDeployment(String ns, String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.apps().deployments().inNamespace(ns).withName(name).get(), d -> d != null);
  }

  public Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  public Service service(String ns, String name) {
    return client.services().inNamespace(ns).withName(name).get();
  }

  public int selected(String ns, String name) {
    Service s = service(ns, name);
    return s == null ? -1 : Integer.parseInt(s.getSpec().getSelector().get(Labels.REVISION));
  }

  /** The Job controller and kubelet: the build pod ran, assemble wrote its result. */
  void buildSucceeds(String ns, String jobName, String digest) {
    buildSucceedsWith(
        ns,
        jobName,
        "{\"image\":\"" + REPO + "@" + digest + "\",\"digest\":\"" + digest + "\",\"layers\":[]}");
  }

  /** As above, with the assemble step's result (termination message) given whole. */
  void buildSucceedsWith(String ns, String jobName, String message) {
    Job job = awaitJob(ns, jobName);
    createPod(
        job,
        "Succeeded",
        List.of(
            terminated("source", 0, "Completed", null), terminated("venv", 0, "Completed", null)),
        terminated("assemble", 0, "Completed", message));
    setJobStatus(ns, jobName, true);
  }

  /** The build pod as the kubelet reports it mid-run: source and venv done, assemble running. */
  void buildPodRunning(Job job) {
    createPod(
        job,
        "Running",
        List.of(
            terminated("source", 0, "Completed", null), terminated("venv", 0, "Completed", null)),
        new ContainerStatusBuilder()
            .withName("assemble")
            .withNewState()
            .withNewRunning()
            .endRunning()
            .endState()
            .build());
  }

  /** The Job controller's part alone: the Job is complete (its pod's update may come later). */
  void completeJob(String ns, String jobName) {
    setJobStatus(ns, jobName, true);
  }

  /** The kubelet's last update of a build pod made by {@link #buildPodRunning}. */
  void buildPodSucceeded(Job job, String digest) {
    String message =
        "{\"image\":\"" + REPO + "@" + digest + "\",\"digest\":\"" + digest + "\",\"layers\":[]}";
    retryOnConflict(
        () ->
            client
                .pods()
                .inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName() + "-x1")
                .edit(
                    p -> {
                      p.getStatus().setPhase("Succeeded");
                      p.getStatus()
                          .setContainerStatuses(
                              List.of(terminated("assemble", 0, "Completed", message)));
                      return p;
                    }));
  }

  /** The build pod's venv step failed with a message. */
  void buildFails(String ns, String jobName, String container, String message) {
    Job job = awaitJob(ns, jobName);
    createPod(
        job,
        "Failed",
        List.of(
            terminated("source", 0, "Completed", null), terminated(container, 1, "Error", message)),
        null);
    setJobStatus(ns, jobName, false);
  }

  void hookFinishes(String ns, String jobName, boolean ok) {
    Job job = awaitJob(ns, jobName);
    createPod(
        job,
        ok ? "Succeeded" : "Failed",
        List.of(),
        terminated(
            "hook", ok ? 0 : 2, ok ? "Completed" : "Error", ok ? null : "migration 0042 failed"));
    setJobStatus(ns, jobName, ok);
  }

  /**
   * The Job controller and kubelet with what really ran: the pod (labelled with the Job's name) and
   * its container statuses, then the Job's status.
   */
  public void jobPodFinished(
      Job job,
      List<io.fabric8.kubernetes.api.model.ContainerStatus> init,
      io.fabric8.kubernetes.api.model.ContainerStatus main,
      boolean ok) {
    createPod(job, ok ? "Succeeded" : "Failed", init, main);
    setJobStatus(job.getMetadata().getNamespace(), job.getMetadata().getName(), ok);
  }

  private void createPod(
      Job job,
      String phase,
      List<io.fabric8.kubernetes.api.model.ContainerStatus> init,
      io.fabric8.kubernetes.api.model.ContainerStatus main) {
    Map<String, String> labels =
        new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(Labels.JOB_NAME, job.getMetadata().getName());
    labels.put(Labels.LEGACY_JOB_NAME, job.getMetadata().getName());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + "-x1")
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(labels)
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase(phase)
            .withInitContainerStatuses(init)
            .withContainerStatuses(main == null ? List.of() : List.of(main))
            .endStatus()
            .build();
    client.resource(pod).create();
  }

  private void setJobStatus(String ns, String name, boolean ok) {
    retryOnConflict(
        () ->
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .withName(name)
                .edit(
                    j -> {
                      j.setStatus(
                          new JobStatusBuilder()
                              .withSucceeded(ok ? 1 : 0)
                              .withFailed(ok ? 0 : 1)
                              .withCompletionTime(ok ? "2026-01-01T00:00:00Z" : null)
                              .withConditions(
                                  new JobConditionBuilder()
                                      .withType(ok ? "Complete" : "Failed")
                                      .withStatus("True")
                                      .withReason(ok ? null : "BackoffLimitExceeded")
                                      .build())
                              .build());
                      return j;
                    }));
  }

  public static io.fabric8.kubernetes.api.model.ContainerStatus terminated(
      String name, int exit, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason(reason)
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }

  /** The Deployment controller: every wanted replica is available at the current generation. */
  public void makeAvailable(String ns, String name) {
    awaitDeployment(ns, name);
    // a controller's write races the operator's like any other: retried on 409
    retryOnConflict(
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName(name)
                .edit(
                    x -> {
                      int wanted =
                          x.getSpec().getReplicas() == null ? 1 : x.getSpec().getReplicas();
                      x.setStatus(
                          new DeploymentStatusBuilder()
                              .withReplicas(wanted)
                              .withReadyReplicas(wanted)
                              .withAvailableReplicas(wanted)
                              .withUpdatedReplicas(wanted)
                              .withObservedGeneration(x.getMetadata().getGeneration())
                              .build());
                      return x;
                    }));
  }

  public static void retryOnConflict(Runnable write) {
    for (int attempt = 0; ; attempt++) {
      try {
        write.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }
}
