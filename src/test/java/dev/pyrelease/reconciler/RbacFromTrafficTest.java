package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RBAC derived from what the operator really does: the operator goes through a release's life
 * ({@link Lifecycle}) with leader election on, every request its client makes is recorded (by its
 * User-Agent, apart from the test's own kubelet writes), mapped to (apiGroup, resource[/sub], verb)
 * and compared with {@code deploy/}: every request must be granted, and every granted verb must be
 * used — or be listed in {@link #NEEDED_NOT_EXERCISED} with the reason.
 *
 * <p>Mapping: GET of a collection → list, with {@code watch=true} → watch, GET of one object → get,
 * POST → create, PUT → update, PATCH → patch, DELETE of one → delete, of a collection →
 * deletecollection; {@code .../namespaces/NS/RESOURCE/NAME/SUB} → resource {@code RESOURCE/SUB}.
 */
@EnableKubernetesMockClient(crud = true)
class RbacFromTrafficTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;

  static final String USER_AGENT = "pyrelease-operator-rbac-test";
  static final String LEASE_NAMESPACE = "pyrelease-system";
  static final Path CLUSTER_ROLE = Path.of("deploy/03-clusterrole.yaml");
  static final Path NAMESPACED_ROLE = Path.of("deploy/namespaced/03-role.yaml");

  /**
   * Allowed to every authenticated identity by Kubernetes' default ClusterRoles (system:basic-user,
   * system:discovery): not in our RBAC. JOSDK checks its Lease permissions with a
   * SelfSubjectRulesReview before it starts leader election.
   */
  static final Set<String> GRANTED_TO_EVERYONE =
      Set.of("authorization.k8s.io/selfsubjectrulesreviews:create");

  /** group/resource:verb → why it is granted although the lifecycle on the mock does not use it. */
  static final Map<String, String> NEEDED_NOT_EXERCISED =
      Map.of(
          "coordination.k8s.io/leases:update",
          "JOSDK's LeaderElectionManager checks (SelfSubjectRulesReview) for get, create and update"
              + " on leases and refuses to start without update; fabric8 7.5 renews with a PATCH");

  /** (apiGroup, resource[/subresource], verb) in a namespace (null: cluster-wide). */
  record Access(String group, String resource, String verb, String namespace) {
    String key() {
      return group + "/" + resource + ":" + verb;
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"all-namespaces", "one-namespace"})
  void everyRequestIsGrantedAndEveryGrantIsUsed(String mode) throws Exception {
    boolean oneNamespace = mode.equals("one-namespace");
    Kube.installCrd(client);
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    Role lease = one(CLUSTER_ROLE, Role.class, "pyrelease-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(LEASE_NAMESPACE);
    // the mock has no authorizer: answer JOSDK's Lease permission check with what deploy/ grants
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, rulesReview(lease.getRules()))
        .always();
    drain(); // earlier runs' requests

    Map<String, String> env = new HashMap<>();
    env.put("PYRELEASE_OPERATOR_IMAGE", "registry.test/pyrelease:test");
    env.put("PYRELEASE_LEADER_ELECTION_LEASE", "pyrelease-operator-" + mode);
    env.put("PYRELEASE_LEADER_ELECTION_NAMESPACE", LEASE_NAMESPACE);
    env.put("PYRELEASE_POD_NAME", "pyrelease-operator-0");
    env.put("PYRELEASE_LEADER_ELECTION_EXIT_ON_LOSS", "false");
    if (oneNamespace) {
      env.put("PYRELEASE_NAMESPACES", ns);
    }
    List<Access> used = new ArrayList<>();
    try (KubernetesClient operatorClient =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(client.getConfiguration()).withUserAgent(USER_AGENT).build())
                .build();
        PyreleaseOperator operator =
            new PyreleaseOperator(
                    operatorClient,
                    OperatorConfig.from(env),
                    Lifecycle.GIT,
                    OperatorTestBase.BASES,
                    Clock.systemUTC())
                .start()) {
      Lifecycle.run(kube, ns);
      // the Lease is renewed (GET + JSON merge PATCH) every 2 s: wait for one renewal at least
      try {
        await()
            .atMost(Kube.WAIT)
            .until(
                () -> {
                  used.addAll(drain());
                  return used.stream()
                      .anyMatch(a -> a.resource().equals("leases") && a.verb().equals("patch"));
                });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "no Lease renewal; requests: "
                + used.stream().map(Access::key).collect(Collectors.toCollection(TreeSet::new)),
            e);
      }
    }
    used.addAll(drain());

    Map<String, Set<String>> namespacedRules =
        oneNamespace
            ? rules(one(NAMESPACED_ROLE, Role.class, "pyrelease-operator").getRules())
            : rules(one(CLUSTER_ROLE, ClusterRole.class, "pyrelease-operator").getRules());
    Map<String, Set<String>> leaseRules = rules(lease.getRules());

    List<String> missing = new ArrayList<>();
    for (Access a : used) {
      if (GRANTED_TO_EVERYONE.contains(a.key())) {
        continue;
      }
      boolean byLeaseRole = LEASE_NAMESPACE.equals(a.namespace()) && grants(leaseRules, a);
      // a Role grants in its namespace only; the ClusterRole (bound cluster-wide) everywhere
      boolean byOperatorRole =
          (!oneNamespace || ns.equals(a.namespace())) && grants(namespacedRules, a);
      if (!byLeaseRole && !byOperatorRole) {
        missing.add(
            "apiGroups: [\""
                + a.group()
                + "\"], resources: ["
                + a.resource()
                + "], verbs: ["
                + a.verb()
                + "] in "
                + (a.namespace() == null ? "all namespaces / cluster scope" : a.namespace()));
      }
    }
    assertThat(new TreeSet<>(missing)).as("requests the RBAC in deploy/ does not grant").isEmpty();

    Set<String> usedKeys = used.stream().map(Access::key).collect(Collectors.toSet());
    Set<String> unused = new TreeSet<>();
    for (var rules : List.of(namespacedRules, leaseRules)) {
      rules.forEach(
          (res, verbs) ->
              verbs.stream()
                  .map(v -> res + ":" + v)
                  .filter(k -> !usedKeys.contains(k) && !NEEDED_NOT_EXERCISED.containsKey(k))
                  .forEach(unused::add));
    }
    assertThat(unused)
        .as(
            "granted but never used: remove from deploy/ or list in NEEDED_NOT_EXERCISED with why;"
                + " used: %s",
            new TreeSet<>(usedKeys))
        .isEmpty();
    System.out.println("RBAC used (" + mode + "): " + new TreeSet<>(usedKeys));
  }

  /** The operator's requests recorded since the last call, mapped to RBAC terms. */
  static List<Access> drain() throws InterruptedException {
    List<Access> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      String ua = r.getHeader("User-Agent");
      if (ua != null && ua.startsWith(USER_AGENT)) {
        out.add(access(r.getMethod(), r.getPath()));
      }
    }
    return out;
  }

  static Access access(String method, String pathAndQuery) {
    URI uri = URI.create("http://api" + pathAndQuery);
    List<String> seg = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    List<String> rest;
    if (seg.size() >= 2 && seg.get(0).equals("api")) {
      group = "";
      rest = seg.subList(2, seg.size());
    } else if (seg.size() >= 3 && seg.get(0).equals("apis")) {
      group = seg.get(1);
      rest = seg.subList(3, seg.size());
    } else {
      throw new AssertionError("a non-resource request: " + method + " " + pathAndQuery);
    }
    String namespace = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
    boolean one = rest.size() > 1;
    boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
    String verb =
        switch (method) {
          case "GET" -> watch ? "watch" : one ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> one ? "delete" : "deletecollection";
          default -> throw new AssertionError("method " + method);
        };
    return new Access(group, resource, verb, namespace);
  }

  static boolean grants(Map<String, Set<String>> rules, Access a) {
    Set<String> verbs = rules.get(a.group() + "/" + a.resource());
    return verbs != null && verbs.contains(a.verb());
  }

  /** group/resource → verbs. */
  static Map<String, Set<String>> rules(List<PolicyRule> rules) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PolicyRule r : rules) {
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          out.computeIfAbsent(g + "/" + res, k -> new TreeSet<>()).addAll(r.getVerbs());
        }
      }
    }
    return out;
  }

  static SelfSubjectRulesReview rulesReview(List<PolicyRule> rules) {
    return new SelfSubjectRulesReviewBuilder()
        .withNewStatus()
        .withIncomplete(false)
        .withResourceRules(
            rules.stream()
                .map(
                    r ->
                        new ResourceRuleBuilder()
                            .withApiGroups(r.getApiGroups())
                            .withResources(r.getResources())
                            .withVerbs(r.getVerbs())
                            .withResourceNames(
                                r.getResourceNames() == null ? List.of() : r.getResourceNames())
                            .build())
                .toList())
        .withNonResourceRules(List.of())
        .endStatus()
        .build();
  }

  static <T extends HasMetadata> T one(Path file, Class<T> type, String name) throws IOException {
    List<T> found = new ArrayList<>();
    for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      Object o = Serialization.unmarshal(doc);
      if (type.isInstance(o) && ((HasMetadata) o).getMetadata().getName().equals(name)) {
        found.add(type.cast(o));
      }
    }
    assertThat(found).as("%s %s in %s", type.getSimpleName(), name, file).hasSize(1);
    return found.get(0);
  }
}
