package dev.pyrelease.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md is the field reference rendered from the generated CRD's descriptions, so it
 * cannot drift from the model. Regenerate with {@code -Dpyrelease.writeReference=true}.
 */
class ReferenceDocTest {
  private static final Path DOC = Path.of("docs", "reference.md");

  static String render() throws Exception {
    String dir = System.getProperty("generated.crd.dir", "target/classes/META-INF/fabric8");
    JsonNode crd =
        new YAMLMapper().readTree(Path.of(dir, "pythonreleases.pyrelease.dev-v1.yml").toFile());
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties");
    StringBuilder md = new StringBuilder();
    md.append("# PythonRelease field reference\n\n")
        .append("Generated from the CRD (`crds/pythonreleases.pyrelease.dev-v1.yml`), itself")
        .append(" generated from `src/main/java/dev/pyrelease/api/v1alpha1`; do not edit by")
        .append(" hand. `apiVersion: pyrelease.dev/v1alpha1`, `kind: PythonRelease`, short name")
        .append(" `pyrel`.\n\n");
    for (String part : List.of("spec", "status")) {
      md.append("## ").append(part).append("\n\n");
      md.append("| field | type | required | default | description |\n");
      md.append("|---|---|---|---|---|\n");
      rows(part, schema.get(part), md);
      md.append('\n');
    }
    return md.toString();
  }

  private static void rows(String path, JsonNode node, StringBuilder md) {
    JsonNode props = node.get("properties");
    if (props == null) {
      return;
    }
    Set<String> required = new HashSet<>();
    node.path("required").forEach(r -> required.add(r.asText()));
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    for (String name : names) {
      JsonNode p = props.get(name);
      String field = path + "." + name;
      md.append("| `")
          .append(field)
          .append("` | ")
          .append(type(p))
          .append(" | ")
          .append(required.contains(name) ? "yes" : "")
          .append(" | ")
          .append(p.has("default") ? "`" + p.get("default").asText() + "`" : "")
          .append(" | ")
          .append(describe(p))
          .append(" |\n");
      // Kubernetes' own types (EnvVar, Probe, ResourceRequirements, Condition) are documented
      // by `kubectl explain`; list our own fields only.
      if (p.hasNonNull("description") && !isKubernetesType(field)) {
        if ("array".equals(p.path("type").asText()) && p.path("items").has("properties")) {
          rows(field + "[]", p.get("items"), md);
        } else if (p.has("properties")) {
          rows(field, p, md);
        } else if (p.path("additionalProperties").has("properties")) {
          rows(field + ".<name>", p.get("additionalProperties"), md);
        }
      }
    }
  }

  /** Fields of these names hold a Kubernetes type, described where it is used. */
  static final Set<String> KUBERNETES_TYPES =
      Set.of(
          "env",
          "envFrom",
          "resources",
          "readinessProbe",
          "livenessProbe",
          "startupProbe",
          "conditions",
          "imagePullSecrets",
          "tolerations",
          "affinity",
          "topologySpreadConstraints",
          "volumes",
          "volumeMounts",
          "minAvailable",
          "maxUnavailable");

  private static boolean isKubernetesType(String field) {
    return KUBERNETES_TYPES.contains(field.substring(field.lastIndexOf('.') + 1));
  }

  private static String type(JsonNode p) {
    String t = p.path("type").asText("object");
    if (t.equals("array")) {
      return "[]" + p.path("items").path("type").asText("object");
    }
    return p.has("enum") ? "enum" : t;
  }

  private static String describe(JsonNode p) {
    StringBuilder d = new StringBuilder(p.path("description").asText("").replace("|", "\\|"));
    if (p.has("pattern")) {
      d.append(" Pattern: `").append(p.get("pattern").asText()).append("`.");
    }
    if (p.has("minimum")) {
      d.append(" Minimum ").append(p.get("minimum").asInt()).append('.');
    }
    if (p.has("maximum")) {
      d.append(" Maximum ").append(p.get("maximum").asInt()).append('.');
    }
    if (p.has("x-kubernetes-validations")) {
      p.get("x-kubernetes-validations")
          .forEach(v -> d.append(" Rule: ").append(v.path("message").asText()).append('.'));
    }
    return d.toString().strip();
  }

  @Test
  void referenceMatchesTheGeneratedCrd() throws Exception {
    String fresh = render();
    if (Boolean.getBoolean("pyrelease.writeReference")) {
      Files.writeString(DOC, fresh);
    }
    assertThat(Files.readString(DOC))
        .as("docs/reference.md is stale: run the tests with -Dpyrelease.writeReference=true")
        .isEqualTo(fresh);
  }
}
