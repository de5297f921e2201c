package dev.pyrelease.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrdTest {
  private static final String FILE = "pythonreleases.pyrelease.dev-v1.yml";

  private static Path generated() {
    String dir = System.getProperty("generated.crd.dir", "target/classes/META-INF/fabric8");
    return Path.of(dir, FILE);
  }

  @Test
  void committedCrdEqualsTheGeneratedOne() throws Exception {
    String committed = Files.readString(Path.of("crds", FILE));
    String fresh = Files.readString(generated());
    assertThat(committed)
        .as(
            "crds/%s is stale: copy %s over it (the CRD is generated from the Java model)",
            FILE, generated())
        .isEqualTo(fresh);
  }

  @Test
  void crdHasNamesColumnsAndStatusSubresource() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(generated()), CustomResourceDefinition.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("pythonreleases.pyrelease.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("pyrel");
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + "=" + c.getJsonPath())
        .containsExactlyInAnyOrder(
            "REVISION=.status.currentRevision",
            "PHASE=.status.phase",
            "IMAGE=.status.currentImage",
            "AGE=.metadata.creationTimestamp",
            "BASE=.status.revisions[?(@.state==\"Active\")].baseImage");
  }

  @Test
  void printerColumnsAreInKubectlOrderWithTheBaseOnlyInWideOutput() throws Exception {
    // the generator sorts columns by name (AGE, IMAGE, PHASE, REVISION); the build's
    // PrinterColumnOrder step puts them in the order PythonRelease declares them
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(generated()), CustomResourceDefinition.class);
    var columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    assertThat(columns)
        .extracting(c -> c.getName() + "/" + c.getPriority())
        .containsExactly("REVISION/0", "PHASE/0", "IMAGE/0", "AGE/0", "BASE/1");
  }

  @Test
  void everySpecFieldHasADescription() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(generated()), CustomResourceDefinition.class);
    var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    var missing = new java.util.ArrayList<String>();
    collectUndescribed("spec", schema.getProperties().get("spec"), missing, true);
    collectUndescribed("status", schema.getProperties().get("status"), missing, true);
    assertThat(missing)
        .as("fields without a description (kubectl explain shows nothing)")
        .isEmpty();
  }

  // Walks our own types only: fabric8's Kubernetes types (EnvVar, Probe, ...) carry no
  // descriptions in the generated schema, and the field holding them is described instead.
  private static void collectUndescribed(
      String path,
      io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps props,
      java.util.List<String> missing,
      boolean root) {
    if (props == null) {
      return;
    }
    if (!root && (props.getDescription() == null || props.getDescription().isBlank())) {
      missing.add(path);
    }
    if (isKubernetesType(path)) {
      return;
    }
    if (props.getProperties() != null) {
      props
          .getProperties()
          .forEach((k, v) -> collectUndescribed(path + "." + k, v, missing, false));
    }
    if (props.getItems() != null && props.getItems().getSchema() != null) {
      var items = props.getItems().getSchema();
      if (items.getProperties() != null) {
        items
            .getProperties()
            .forEach((k, v) -> collectUndescribed(path + "[]." + k, v, missing, false));
      }
    }
    if (props.getAdditionalProperties() != null
        && props.getAdditionalProperties().getSchema() != null
        && props.getAdditionalProperties().getSchema().getProperties() != null) {
      props
          .getAdditionalProperties()
          .getSchema()
          .getProperties()
          .forEach((k, v) -> collectUndescribed(path + ".<name>." + k, v, missing, false));
    }
  }

  private static boolean isKubernetesType(String path) {
    String leaf = path.substring(path.lastIndexOf('.') + 1).replace("[]", "");
    return ReferenceDocTest.KUBERNETES_TYPES.contains(leaf);
  }
}
