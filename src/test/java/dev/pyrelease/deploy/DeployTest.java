package dev.pyrelease.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The install manifests in {@code deploy/}: they parse as Kubernetes objects with no unknown field,
 * kustomize lists every file, the CRD is the committed one, the operator Deployment is hardened and
 * probed, and RBAC grants exactly the rules below — the one list to compare with what the operator
 * really calls.
 */
class DeployTest {
  static final Path DEPLOY = Path.of("deploy");
  static final Path NAMESPACED = DEPLOY.resolve("namespaced");
  static final String SYSTEM_NS = "pyrelease-system";
  static final String SA = "pyrelease-operator";
  static final String WATCHED_NS = "web";

  /**
   * group/resource -> verbs: what the operator may do in the release namespaces. These are the
   * requests it makes ({@code dev.pyrelease.reconciler.RbacFromTrafficTest} derives them from the
   * traffic of a whole release lifecycle); nothing more.
   */
  static final Map<String, Set<String>> RULES =
      Map.ofEntries(
          Map.entry("pyrelease.dev/pythonreleases", Set.of("list", "watch")),
          Map.entry("pyrelease.dev/pythonreleases/status", Set.of("update")),
          Map.entry("batch/jobs", Set.of("list", "watch", "create", "delete")),
          Map.entry("/pods", Set.of("list", "watch")),
          Map.entry("apps/deployments", Set.of("list", "watch", "create", "update", "delete")),
          Map.entry("/services", Set.of("list", "watch", "create", "update")),
          Map.entry("batch/cronjobs", Set.of("list", "watch", "create", "update", "delete")),
          Map.entry(
              "autoscaling/horizontalpodautoscalers",
              Set.of("list", "watch", "create", "update", "delete")),
          Map.entry(
              "policy/poddisruptionbudgets", Set.of("list", "watch", "create", "update", "delete")),
          Map.entry("/secrets", Set.of("get")),
          // patch: a repeated event raises the first one's count instead of adding another
          Map.entry("/events", Set.of("create", "patch")));

  /** fabric8 renews with PATCH; JOSDK refuses to start leader election without update. */
  static final Map<String, Set<String>> LEASE_RULES =
      Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch"));

  // ---------- parsing ----------

  static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
  }

  static List<Path> manifestFiles(Path dir) throws IOException {
    return yamlFiles(dir).stream()
        .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
        .toList();
  }

  static List<HasMetadata> objects(Path file) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    try (var it = yaml.readerFor(JsonNode.class).readValues(Files.readString(file))) {
      while (it.hasNext()) {
        JsonNode doc = (JsonNode) it.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        Object o = Serialization.unmarshal(doc.toString());
        assertThat(o).as("%s: a Kubernetes object", file).isInstanceOf(HasMetadata.class);
        out.add((HasMetadata) o);
      }
    }
    return out;
  }

  static List<HasMetadata> all(Path dir) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (Path p : manifestFiles(dir)) {
      out.addAll(objects(p));
    }
    return out;
  }

  static <T extends HasMetadata> T one(Path dir, Class<T> type, String name) throws IOException {
    List<T> found =
        all(dir).stream()
            .filter(type::isInstance)
            .map(type::cast)
            .filter(o -> o.getMetadata().getName().equals(name))
            .toList();
    assertThat(found).as("%s %s in %s", type.getSimpleName(), name, dir).hasSize(1);
    return found.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void everyFileParsesAsKubernetesObjectsWithoutUnknownFields(String dir) throws IOException {
    List<Path> files = manifestFiles(Path.of(dir));
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      List<HasMetadata> objs = objects(f);
      assertThat(objs).as(f.toString()).isNotEmpty();
      for (HasMetadata o : objs) {
        assertThat(o.getApiVersion()).as("%s: apiVersion", f).isNotBlank();
        assertThat(o.getMetadata().getName()).as("%s: metadata.name", f).isNotBlank();
        // a misspelt field lands in a model's additionalProperties instead of failing the parse
        assertThat(unknownFields(o, "", new IdentityHashMap<>()))
            .as("%s %s: unknown fields", f, o.getKind())
            .isEmpty();
      }
    }
  }

  @Test
  void theUnknownFieldCheckCatchesTypos() throws IOException {
    String text =
        Files.readString(DEPLOY.resolve("05-deployment.yaml"))
            .replace("readOnlyRootFilesystem: true", "readOnlyRootFilesytem: true")
            .replace("  replicas: 1\n", "  replica: 1\n");
    Path typo = Files.createTempFile("deployment", ".yaml");
    try {
      Files.writeString(typo, text);
      HasMetadata d = objects(typo).get(0);
      assertThat(unknownFields(d, "", new IdentityHashMap<>()))
          .anySatisfy(p -> assertThat(p).endsWith(".readOnlyRootFilesytem"))
          .anySatisfy(p -> assertThat(p).isEqualTo(".Spec.replica"));
    } finally {
      Files.delete(typo);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void kustomizationListsEveryFileInOrder(String dir) throws IOException {
    Path d = Path.of(dir);
    JsonNode k = new YAMLMapper().readTree(d.resolve("kustomization.yaml").toFile());
    assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
    List<String> resources = new ArrayList<>();
    k.path("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources)
        .containsExactlyElementsOf(
            manifestFiles(d).stream().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void filesAreNumberedInApplyOrder() throws IOException {
    List<String> kinds = all(DEPLOY).stream().map(HasMetadata::getKind).toList();
    assertThat(kinds.get(0)).isEqualTo("Namespace");
    assertThat(kinds.get(1)).isEqualTo("CustomResourceDefinition");
    assertThat(kinds.get(kinds.size() - 1)).isEqualTo("Deployment");
    assertThat(one(DEPLOY, Namespace.class, SYSTEM_NS)).isNotNull();
    assertThat(one(DEPLOY, ServiceAccount.class, SA).getMetadata().getNamespace())
        .isEqualTo(SYSTEM_NS);
    for (HasMetadata o : all(DEPLOY)) {
      if (!Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding")
          .contains(o.getKind())) {
        assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(SYSTEM_NS);
      }
    }
  }

  // ---------- the CRD ----------

  @Test
  void crdIsByteForByteTheCommittedAndGeneratedOne() throws IOException {
    String file = "pythonreleases.pyrelease.dev-v1.yml";
    byte[] deployed = Files.readAllBytes(DEPLOY.resolve("01-crd.yaml"));
    assertThat(deployed)
        .as("deploy/01-crd.yaml differs from crds/%s: copy it over", file)
        .isEqualTo(Files.readAllBytes(Path.of("crds", file)));
    Path generated =
        Path.of(System.getProperty("generated.crd.dir", "target/classes/META-INF/fabric8"), file);
    assertThat(deployed)
        .as("deploy/01-crd.yaml differs from the generated %s: copy it over", generated)
        .isEqualTo(Files.readAllBytes(generated));
    CustomResourceDefinition crd =
        one(DEPLOY, CustomResourceDefinition.class, "pythonreleases.pyrelease.dev");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("pyrel");
  }

  // ---------- the Deployment ----------

  @Test
  void operatorDeploymentIsNonRootReadOnlyProbedAndBounded() throws IOException {
    Deployment d = one(DEPLOY, Deployment.class, SA);
    assertThat(d.getMetadata().getNamespace()).isEqualTo(SYSTEM_NS);
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels());
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(SA);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);

    Container c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("operator");
    assertThat(c.getImage()).matches("registry\\.internal/pyrelease/operator:[0-9.]+");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

    // writable /tmp on a read-only root
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/tmp");
              assertThat(pod.getVolumes())
                  .anySatisfy(
                      v -> {
                        assertThat(v.getName()).isEqualTo(m.getName());
                        assertThat(v.getEmptyDir()).isNotNull();
                      });
            });

    // probes on the health port: /healthz (liveness, startup) and /readyz (readiness)
    assertThat(c.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("health");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    // Prometheus scrapes /metrics on the same port
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");
    assertHttpProbe(c.getLivenessProbe(), "/healthz");
    assertHttpProbe(c.getStartupProbe(), "/healthz");
    assertHttpProbe(c.getReadinessProbe(), "/readyz");

    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");

    Map<String, EnvVar> env = env(c);
    assertThat(env).containsKeys("PYRELEASE_NAMESPACES", "PYRELEASE_OPERATOR_IMAGE");
    assertThat(env.get("PYRELEASE_NAMESPACES").getValue()).as("all namespaces").isEmpty();
    assertThat(env.get("PYRELEASE_OPERATOR_IMAGE").getValue())
        .as("the build Job runs the operator's own image")
        .isEqualTo(c.getImage());
    assertThat(env.get("PYRELEASE_LEADER_ELECTION_NAMESPACE").getValueFrom().getFieldRef())
        .satisfies(f -> assertThat(f.getFieldPath()).isEqualTo("metadata.namespace"));
    assertThat(env.get("PYRELEASE_HEALTH_PORT").getValue()).isEqualTo("8080");
    assertThat(env.get("PYRELEASE_CACHE_DIR").getValue()).startsWith("/tmp/");
  }

  static void assertHttpProbe(Probe p, String path) {
    assertThat(p).isNotNull();
    assertThat(p.getHttpGet().getPath()).isEqualTo(path);
    assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }

  static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> a, TreeMap::new));
  }

  // ---------- RBAC ----------

  @Test
  void clusterRoleGrantsExactlyTheExpectedRules() throws IOException {
    ClusterRole role = one(DEPLOY, ClusterRole.class, SA);
    assertThat(rules(role.getRules())).isEqualTo(new TreeMap<>(RULES));
    // nothing cluster-scoped (JOSDK's CRD check is off: no customresourcedefinitions read)
    assertThat(role.getRules())
        .noneMatch(r -> r.getResources().contains("customresourcedefinitions"));
    // nothing writes a PythonRelease's spec
    assertThat(role.getRules())
        .filteredOn(r -> r.getResources().contains("pythonreleases"))
        .allSatisfy(r -> assertThat(r.getVerbs()).doesNotContain("update", "patch", "create"));

    ClusterRoleBinding binding = one(DEPLOY, ClusterRoleBinding.class, SA);
    assertBinds(binding.getRoleRef(), binding.getSubjects(), "ClusterRole", SA);
  }

  @Test
  void leaderElectionIsARoleInTheOperatorsNamespace() throws IOException {
    for (Path dir : List.of(DEPLOY, NAMESPACED)) {
      Role lease = one(dir, Role.class, "pyrelease-leader-election");
      assertThat(lease.getMetadata().getNamespace()).isEqualTo(SYSTEM_NS);
      assertThat(rules(lease.getRules())).isEqualTo(LEASE_RULES);
      RoleBinding b = one(dir, RoleBinding.class, "pyrelease-leader-election");
      assertThat(b.getMetadata().getNamespace()).isEqualTo(SYSTEM_NS);
      assertBinds(b.getRoleRef(), b.getSubjects(), "Role", "pyrelease-leader-election");
    }
  }

  @Test
  void everyRuleIsInOneFile() throws IOException {
    for (Path f : manifestFiles(DEPLOY)) {
      boolean hasRules =
          objects(f).stream().anyMatch(o -> o instanceof ClusterRole || o instanceof Role);
      assertThat(hasRules)
          .as(f.toString())
          .isEqualTo(f.getFileName().toString().equals("03-clusterrole.yaml"));
    }
  }

  // ---------- deploy/namespaced ----------

  @Test
  void namespacedSetGrantsTheSameRulesInOneNamespaceOnly() throws IOException {
    List<HasMetadata> objs = all(NAMESPACED);
    assertThat(objs).noneMatch(o -> o instanceof ClusterRole || o instanceof ClusterRoleBinding);
    assertThat(objs).noneMatch(o -> o instanceof CustomResourceDefinition);

    Role role = one(NAMESPACED, Role.class, SA);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(WATCHED_NS);
    assertThat(rules(role.getRules())).isEqualTo(new TreeMap<>(RULES));
    RoleBinding binding = one(NAMESPACED, RoleBinding.class, SA);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(WATCHED_NS);
    assertBinds(binding.getRoleRef(), binding.getSubjects(), "Role", SA);

    Deployment d = one(NAMESPACED, Deployment.class, SA);
    assertThat(env(d.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .extractingByKey("PYRELEASE_NAMESPACES")
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(WATCHED_NS));
  }

  @Test
  void namespacedCopiesStayInStepWithDeploy() throws IOException {
    for (String f : List.of("00-namespace.yaml", "02-serviceaccount.yaml")) {
      assertThat(Files.readString(NAMESPACED.resolve(f)))
          .as(f)
          .isEqualTo(Files.readString(DEPLOY.resolve(f)));
    }
    // the Deployment differs in PYRELEASE_NAMESPACES only
    Deployment base = one(DEPLOY, Deployment.class, SA);
    Deployment ns = one(NAMESPACED, Deployment.class, SA);
    ns.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("PYRELEASE_NAMESPACES"))
        .forEach(e -> e.setValue(""));
    assertThat(ns).isEqualTo(base);
    // the leader election Role and RoleBinding are the same objects
    assertThat(one(NAMESPACED, Role.class, "pyrelease-leader-election"))
        .isEqualTo(one(DEPLOY, Role.class, "pyrelease-leader-election"));
    assertThat(one(NAMESPACED, RoleBinding.class, "pyrelease-leader-election"))
        .isEqualTo(one(DEPLOY, RoleBinding.class, "pyrelease-leader-election"));
  }

  // ---------- helpers ----------

  static void assertBinds(RoleRef ref, List<Subject> subjects, String kind, String name) {
    assertThat(ref.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(ref.getKind()).isEqualTo(kind);
    assertThat(ref.getName()).isEqualTo(name);
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(SA);
              assertThat(s.getNamespace()).isEqualTo(SYSTEM_NS);
            });
  }

  /** group/resource -> verbs, failing on a resource granted twice (keep one rule per resource). */
  static Map<String, Set<String>> rules(List<PolicyRule> rules) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PolicyRule r : rules) {
      assertThat(r.getNonResourceURLs()).isNullOrEmpty();
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          Set<String> prev = out.put(g + "/" + res, new TreeSet<>(r.getVerbs()));
          assertThat(prev).as("%s/%s granted in two rules", g, res).isNull();
        }
      }
    }
    return out;
  }

  /** Paths of values that landed in a fabric8 model's additionalProperties (unknown fields). */
  static List<String> unknownFields(Object o, String path, Map<Object, Boolean> seen) {
    List<String> out = new ArrayList<>();
    if (o == null || seen.put(o, true) != null) {
      return out;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        out.addAll(unknownFields(e, path + "[" + i++ + "]", seen));
      }
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.addAll(unknownFields(v, path + "." + k, seen)));
      return out;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return out;
    }
    for (Method getter : o.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = getter.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      String name = getter.getName().substring(3);
      if (name.equals("AdditionalProperties") && v instanceof Map<?, ?> extra) {
        extra.keySet().forEach(k -> out.add(path + "." + k));
      } else {
        out.addAll(unknownFields(v, path + "." + name, seen));
      }
    }
    return out;
  }
}
