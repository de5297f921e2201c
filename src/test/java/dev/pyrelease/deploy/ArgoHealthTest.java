package dev.pyrelease.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pyrelease.testing.ArgoHealth;
import dev.pyrelease.testing.ArgoHealth.Health;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Argo CD's health check for PythonReleases as shipped (deploy/argocd and the gitops example), run
 * in Debian's lua5.1 against status fixtures: the edges a running operator does not easily reach
 * (no status yet, a status from before Reconciling/Stalled existed, a pinned revision not serving
 * yet). {@code dev.pyrelease.reconciler.KstatusAndArgoHealthTest} runs it on the statuses the
 * operator writes in each phase.
 */
class ArgoHealthTest {
  static final String KEY = "resource.customizations.health.pyrelease.dev_PythonRelease";

  @ParameterizedTest
  @ValueSource(strings = {"deploy/argocd/argocd-cm.yaml", "examples/gitops/argocd-health.yaml"})
  void theShippedPatchesCarryTheTestedScript(String file) throws IOException {
    JsonNode cm = new YAMLMapper().readTree(Path.of(file).toFile());
    assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(cm.at("/metadata/name").asText()).isEqualTo("argocd-cm");
    assertThat(cm.at("/metadata/namespace").asText()).isEqualTo("argocd");
    assertThat(cm.path("data").size()).as("a patch adds the health check only").isEqualTo(1);
    assertThat(cm.path("data").path(KEY).asText())
        .as("%s embeds %s", file, ArgoHealth.SCRIPT)
        .isEqualTo(Files.readString(ArgoHealth.SCRIPT));
  }

  @Test
  void theComponentPatchesArgocdCm() throws IOException {
    JsonNode k = new YAMLMapper().readTree(Path.of("deploy/argocd/kustomization.yaml").toFile());
    assertThat(k.path("apiVersion").asText()).isEqualTo("kustomize.config.k8s.io/v1alpha1");
    assertThat(k.path("kind").asText()).isEqualTo("Component");
    assertThat(k.at("/patches/0/path").asText()).isEqualTo("argocd-cm.yaml");
  }

  static JsonNode release(String status) throws IOException {
    return release(3, "", status);
  }

  static JsonNode release(long generation, String spec, String status) throws IOException {
    return new ObjectMapper()
        .readTree(
            ("{\"apiVersion\":\"pyrelease.dev/v1alpha1\",\"kind\":\"PythonRelease\","
                    + "\"metadata\":{\"name\":\"shop\",\"namespace\":\"web\",\"generation\":%d},"
                    + "\"spec\":{%s}%s}")
                .formatted(generation, spec, status.isEmpty() ? "" : ",\"status\":" + status));
  }

  static String cond(String type, String status, String reason, String message) {
    return "{\"type\":\"%s\",\"status\":\"%s\",\"reason\":\"%s\",\"message\":\"%s\"}"
        .formatted(type, status, reason, message);
  }

  static String status(String phase, Integer current, Integer latest, String... conditions) {
    return "{\"observedGeneration\":3,\"phase\":\"%s\",%s%s\"conditions\":[%s]}"
        .formatted(
            phase,
            current == null ? "" : "\"currentRevision\":" + current + ",",
            latest == null ? "" : "\"latestRevision\":" + latest + ",",
            String.join(",", conditions));
  }

  static Health health(JsonNode release) {
    Health h = ArgoHealth.of(release);
    System.out.println(h.status() + ": " + h.message());
    return h;
  }

  static final String READY = cond("Ready", "True", "Serving", "revision 2 serves r@sha256:b");

  @Test
  void healthyWhenTheLatestRevisionServesAndIsReady() throws IOException {
    assertThat(health(release(status("Ready", 2, 2, READY))))
        .isEqualTo(new Health("Healthy", "Serving: revision 2 serves r@sha256:b"));
  }

  @Test
  void aPinnedRevisionIsHealthyOnlyOnceItServes() throws IOException {
    assertThat(health(release(3, "\"revision\":2", status("Ready", 2, 3, READY))).status())
        .isEqualTo("Healthy");
    assertThat(health(release(3, "\"revision\":1", status("Ready", 2, 3, READY))))
        .isEqualTo(new Health("Progressing", "Revision 2 serves; the spec's is revision 1"));
    assertThat(health(release(status("Ready", 1, 2, READY))).status())
        .as("an older revision serves")
        .isEqualTo("Progressing");
    assertThat(
            health(
                    release(
                        status("Ready", 2, 2, cond("Ready", "False", "RollingOut", "rolling out"))))
                .status())
        .isEqualTo("Progressing");
  }

  @Test
  void progressingWithoutStatusOrBeforeTheGenerationIsObserved() throws IOException {
    assertThat(health(release("")))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to report status"));
    assertThat(health(release(4, "", status("Ready", 2, 2, READY))))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to observe generation 4"));
  }

  @Test
  void progressingWhileBuildingOrRollingOutWithTheConditionsMessage() throws IOException {
    // as an operator before Reconciling existed wrote it: the phase's own condition
    assertThat(
            health(
                release(
                    status(
                        "Building",
                        1,
                        1,
                        READY,
                        cond("Built", "False", "Building", "revision 2 is building")))))
        .isEqualTo(new Health("Progressing", "Building: revision 2 is building"));
    assertThat(
            health(
                release(
                    status(
                        "RollingOut",
                        null,
                        1,
                        cond("Ready", "False", "RollingOut", "revision 1 is rolling out"),
                        cond("Reconciling", "True", "RollingOut", "revision 1 is rolling out"),
                        cond("Stalled", "False", "AsExpected", "")))))
        .isEqualTo(new Health("Progressing", "RollingOut: revision 1 is rolling out"));
    assertThat(health(release(status("Pending", null, null))).status()).isEqualTo("Progressing");
  }

  @Test
  void degradedOnAnyTerminalFailureWithTheFailingConditionsMessage() throws IOException {
    assertThat(
            health(
                release(
                    status(
                        "Failed",
                        1,
                        1,
                        READY,
                        cond("Built", "False", "BuildFailed", "container venv failed")))))
        .as("an older status without Stalled: the failing condition")
        .isEqualTo(new Health("Degraded", "BuildFailed: container venv failed"));
    assertThat(
            health(
                release(
                    status(
                        "Failed",
                        1,
                        1,
                        READY,
                        cond("Degraded", "True", "HookFailed", "hook migrate failed"),
                        cond("Stalled", "True", "HookFailed", "hook migrate failed")))))
        .isEqualTo(new Health("Degraded", "HookFailed: hook migrate failed"));
    assertThat(
            health(
                release(
                    status(
                        "Ready",
                        1,
                        1,
                        READY,
                        cond("Degraded", "True", "ApiServerError", "the API answered 500")))))
        .as("Degraded True in any phase")
        .isEqualTo(new Health("Degraded", "ApiServerError: the API answered 500"));
    assertThat(
            health(
                release(
                    status(
                        "Failed",
                        null,
                        null,
                        cond("SourceResolved", "False", "InvalidSpec", "spec.image: \\\"x\\\"")))))
        .isEqualTo(new Health("Degraded", "InvalidSpec: spec.image: \"x\""));
    assertThat(health(release(status("Failed", null, null))))
        .isEqualTo(new Health("Degraded", "The release failed"));
  }
}
