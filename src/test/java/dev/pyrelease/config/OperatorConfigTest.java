package dev.pyrelease.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaultsFromAnEmptyMap() {
    var c = OperatorConfig.from(Map.of());
    assertThat(c.namespaces()).isEmpty();
    assertThat(c.rollout().standbySeconds()).isEqualTo(600);
    assertThat(c.buildJob().backoffLimit()).isZero();
    assertThat(c.baseImageFor("3.11")).isNull();
    assertThat(c.insecureRegistries()).isEmpty();
    assertThat(c.scheduling().maxConcurrentBuilds()).isEqualTo(10);
    assertThat(c.scheduling().baseImageRecheck()).hasSeconds(300);
  }

  @Test
  void buildSchedulingSettings() {
    var c =
        OperatorConfig.from(
            Map.of(
                "PYRELEASE_MAX_CONCURRENT_BUILDS", "3",
                "PYRELEASE_BASE_IMAGE_RECHECK_SECONDS", "0"));
    assertThat(c.scheduling().maxConcurrentBuilds()).isEqualTo(3);
    assertThat(c.scheduling().limited()).isTrue();
    assertThat(c.scheduling().rechecksBaseImages()).isFalse();
    assertThat(OperatorConfig.from(Map.of("PYRELEASE_MAX_CONCURRENT_BUILDS", "0")).scheduling())
        .matches(s -> !s.limited());
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("PYRELEASE_BASE_IMAGE_RECHECK_SECONDS", "-1")))
        .hasMessageContaining("PYRELEASE_BASE_IMAGE_RECHECK_SECONDS");
  }

  @Test
  void insecureRegistriesAreAList() {
    var c =
        OperatorConfig.from(
            Map.of("PYRELEASE_INSECURE_REGISTRIES", " registry.cluster:5000 ,10.0.0.7:80,"));
    assertThat(c.insecureRegistries())
        .containsExactlyInAnyOrder("registry.cluster:5000", "10.0.0.7:80");
  }

  @Test
  void readsEveryKey() {
    var c =
        OperatorConfig.from(
            Map.of(
                "PYRELEASE_NAMESPACES", "web, shop ,",
                "PYRELEASE_OPERATOR_IMAGE", "reg/op:1",
                "PYRELEASE_BASE_IMAGE_3_11", "reg/python:3.11@sha256:" + "a".repeat(64),
                "PYRELEASE_STANDBY_SECONDS", "30",
                "PYRELEASE_BUILD_TTL_SECONDS", "60"));
    assertThat(c.namespaces()).containsExactlyInAnyOrder("web", "shop");
    assertThat(c.buildJob().operatorImage()).isEqualTo("reg/op:1");
    assertThat(c.baseImageFor("3.11")).startsWith("reg/python:3.11@");
    assertThat(c.rollout().standbySeconds()).isEqualTo(30);
    assertThat(c.buildJob().ttlSeconds()).isEqualTo(60);
  }

  @Test
  void registryCredentialsOverHttpIsOffUnlessSaidTrue() {
    assertThat(OperatorConfig.from(Map.of()).buildJob().registryCredentialsOverHttp()).isFalse();
    assertThat(
            OperatorConfig.from(Map.of("PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP", "TRUE"))
                .buildJob()
                .registryCredentialsOverHttp())
        .isTrue();
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP", "yes")))
        .hasMessage("PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP must be true or false: yes");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("PYRELEASE_STANDBY_SECONDS", "soon")))
        .hasMessageContaining("PYRELEASE_STANDBY_SECONDS");
  }

  @Test
  void leaderElectionAndHealthAsTheDeployManifestSetsThem() {
    var c =
        OperatorConfig.from(
            Map.of(
                "PYRELEASE_LEADER_ELECTION_LEASE", "pyrelease-operator",
                "PYRELEASE_LEADER_ELECTION_NAMESPACE", "pyrelease-system",
                "PYRELEASE_POD_NAME", "pyrelease-operator-abc",
                "PYRELEASE_HEALTH_PORT", "8080",
                "PYRELEASE_CACHE_DIR", "/tmp/pyrelease"));
    assertThat(c.leaderElection().leaseName()).isEqualTo("pyrelease-operator");
    assertThat(c.leaderElection().leaseNamespace()).isEqualTo("pyrelease-system");
    assertThat(c.leaderElection().identity()).isEqualTo("pyrelease-operator-abc");
    assertThat(c.healthPort()).isEqualTo(8080);
    assertThat(c.git().cacheDir()).isEqualTo("/tmp/pyrelease/git");
    assertThat(OperatorConfig.from(Map.of()).leaderElection().leaseName()).isNull();
  }
}
