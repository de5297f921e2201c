package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.AutoscalingSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The HorizontalPodAutoscaler of one process, {@code <name>-<process>}: one per process, not per
 * revision, always targeting the serving revision's Deployment (retargeted at the switch). Pure.
 */
public final class AutoscalerBuilder {
  static final int DEFAULT_CPU_PERCENT = 80;

  private AutoscalerBuilder() {}

  public static HorizontalPodAutoscaler desired(
      PythonRelease release, Workload process, int revision) {
    AutoscalingSpec a = process.spec().getAutoscaling();
    String name = release.getMetadata().getName();
    HorizontalPodAutoscaler h =
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(Labels.processObject(release, process.name(), revision))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(Labels.deploymentName(name, revision, process.name()))
            .endScaleTargetRef()
            .withMinReplicas(minReplicas(a))
            .withMaxReplicas(a.getMaxReplicas())
            .withMetrics(metrics(a))
            .endSpec()
            .build();
    return SpecHash.annotate(h, h.getSpec());
  }

  public static int minReplicas(AutoscalingSpec a) {
    return a.getMinReplicas() == null ? 1 : a.getMinReplicas();
  }

  /**
   * The replicas a new revision of an autoscaled process starts with: what the autoscaler holds now
   * for the serving one (no capacity drop at the switch), within min and max.
   */
  public static int startingReplicas(AutoscalingSpec a, Integer held, int specReplicas) {
    int n = held != null ? held : specReplicas;
    return Math.max(minReplicas(a), Math.min(a.getMaxReplicas(), n));
  }

  private static List<MetricSpec> metrics(AutoscalingSpec a) {
    List<MetricSpec> m = new ArrayList<>();
    Integer cpu = a.getTargetCPUUtilizationPercentage();
    if (cpu == null && a.getTargetMemoryUtilizationPercentage() == null) {
      cpu = DEFAULT_CPU_PERCENT;
    }
    if (cpu != null) {
      m.add(resource("cpu", cpu));
    }
    if (a.getTargetMemoryUtilizationPercentage() != null) {
      m.add(resource("memory", a.getTargetMemoryUtilizationPercentage()));
    }
    return m;
  }

  private static MetricSpec resource(String name, int percent) {
    return new MetricSpecBuilder()
        .withType("Resource")
        .withNewResource()
        .withName(name)
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(percent)
        .endTarget()
        .endResource()
        .build();
  }
}
