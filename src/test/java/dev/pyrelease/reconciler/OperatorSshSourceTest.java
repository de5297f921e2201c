package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.jgit.JGitResolver;
import dev.pyrelease.source.jgit.SshServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator resolving a release whose source is git over ssh, against the test environment's
 * real sshd, with the key and known_hosts from the release's Secret on the mock API server: the ref
 * resolves and the build Job mounts the Secret into the source step only; a host key that
 * known_hosts does not have is refused and the condition says so, naming the host; a key the server
 * does not take is an authentication failure; a Secret without known_hosts is terminal and names
 * the key. No key material reaches status, events, the Job or the operator's log.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorSshSourceTest extends OperatorTestBase {
  static KubernetesClient client;
  static PyreleaseOperator operator;
  static ByteArrayOutputStream logs = new ByteArrayOutputStream();
  static ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> capture;

  @BeforeAll
  static void start() throws Exception {
    capture = ObservabilityTest.captureLogs(logs);
    Kube.installCrd(client);
    operator =
        new PyreleaseOperator(
                client,
                CONFIG,
                new JGitResolver(
                    Files.createTempDirectory("pyrelease-ssh-op-"), Duration.ofSeconds(20), false),
                BASES,
                Clock.systemUTC())
            .start();
  }

  @AfterAll
  static void stop() {
    operator.close();
    capture.stop();
    ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .detachAppender(capture);
  }

  static String url() {
    return SshServer.require("PYRELEASE_SSH_REPO_URL");
  }

  static String mainCommit() throws Exception {
    try (Git git =
        Git.open(Path.of(SshServer.require("PYRELEASE_SSH_REPOS"), "team/app.git").toFile())) {
      return git.getRepository().resolve("refs/heads/main").name();
    }
  }

  PythonRelease release(Kube kube, Map<String, byte[]> secret) {
    String ns = freshNamespace(kube);
    Map<String, String> data = new HashMap<>();
    secret.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder().encodeToString(v)));
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-git")
                .withNamespace(ns)
                .endMetadata()
                .withData(data)
                .build())
        .create();
    PythonRelease r = Kube.release(ns, "shop", "main");
    r.getSpec().getSource().getGit().setUrl(url());
    r.getSpec().getSource().getGit().setSecretRef(new SecretRef("shop-git"));
    return kube.create(r);
  }

  @Test
  void theRefResolvesOverSshAndTheJobGetsTheSecretAsFilesInItsSourceStepOnly() throws Exception {
    Kube kube = new Kube(client);
    PythonRelease r =
        release(
            kube,
            Map.of(
                GitCredentials.SSH_PRIVATE_KEY, SshServer.privateKey(),
                GitCredentials.KNOWN_HOSTS, SshServer.knownHosts()));
    String ns = r.getMetadata().getNamespace();

    PythonRelease resolved =
        awaitRelease(kube, ns, "shop", x -> hasCondition(x, "SourceResolved", "True", "Resolved"));
    assertThat(condition(resolved, "SourceResolved").getMessage())
        .isEqualTo("main is commit " + mainCommit());

    Job job = kube.awaitJob(ns, "shop-build-r1");
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .contains("shop-git");
    List<Container> all = new java.util.ArrayList<>(pod.getInitContainers());
    all.addAll(pod.getContainers());
    for (Container c : all) {
      boolean mounts =
          c.getVolumeMounts().stream()
              .anyMatch(m -> m.getMountPath().equals(BuildJobBuilder.GIT_SECRET_DIR));
      assertThat(mounts).as(c.getName()).isEqualTo(c.getName().equals("source"));
    }
    Container source = all.stream().filter(c -> c.getName().equals("source")).findFirst().get();
    assertThat(source.getArgs())
        .containsSubsequence("--git-credentials", BuildJobBuilder.GIT_SECRET_DIR)
        .contains(url());
    assertNoKeyMaterial(Serialization.asYaml(job));
    assertNoKeyMaterial(Serialization.asYaml(resolved.getStatus()));
  }

  @Test
  void anotherHostKeyIsRefusedAndTheConditionSaysSoNamingTheHost() throws Exception {
    Kube kube = new Kube(client);
    PythonRelease r =
        release(
            kube,
            Map.of(
                GitCredentials.SSH_PRIVATE_KEY, SshServer.privateKey(),
                GitCredentials.KNOWN_HOSTS, SshServer.otherHostKey()));
    String ns = r.getMetadata().getNamespace();

    PythonRelease refused =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "SourceResolved", "False", "HostKeyRejected"));
    assertThat(condition(refused, "SourceResolved").getMessage())
        .contains("host key verification failed for [127.0.0.1]:" + SshServer.port())
        .contains("'known_hosts' of Secret " + ns + "/shop-git")
        .contains("next attempt in");
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
    assertNoKeyMaterial(Serialization.asYaml(refused.getStatus()));
    assertNoKeyMaterial(Serialization.asYaml(client.v1().events().inNamespace(ns).list()));
  }

  @Test
  void aKeyTheServerDoesNotTakeIsAnAuthenticationFailureOnStatus() throws Exception {
    Path wrong = SshServer.wrongKeyDir();
    Kube kube = new Kube(client);
    PythonRelease r =
        release(
            kube,
            Map.of(
                GitCredentials.SSH_PRIVATE_KEY,
                Files.readAllBytes(wrong.resolve(GitCredentials.SSH_PRIVATE_KEY)),
                GitCredentials.KNOWN_HOSTS,
                SshServer.knownHosts()));
    String ns = r.getMetadata().getNamespace();

    PythonRelease failed =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "SourceResolved", "False", "GitUnauthorized"));
    assertThat(condition(failed, "SourceResolved").getMessage())
        .contains("(authentication failed)")
        .contains("server refused ssh-ed25519 key")
        .contains("the server accepts no key of 'ssh-privatekey' of Secret " + ns + "/shop-git");
    assertNoKeyMaterial(Serialization.asYaml(failed.getStatus()));
  }

  @Test
  void aSecretWithoutKnownHostsIsTerminalAndNamesTheSecretAndKey() throws Exception {
    Kube kube = new Kube(client);
    PythonRelease r = release(kube, Map.of(GitCredentials.SSH_PRIVATE_KEY, SshServer.privateKey()));
    String ns = r.getMetadata().getNamespace();

    PythonRelease failed =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "SourceResolved", "False", "SecretKeyMissing"));
    assertThat(condition(failed, "SourceResolved").getMessage())
        .contains("Secret " + ns + "/shop-git has 'ssh-privatekey' but no 'known_hosts'")
        .contains("always checked");
    assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertNoKeyMaterial(Serialization.asYaml(failed.getStatus()));
  }

  @Test
  void theLogHoldsNoKeyMaterial() throws Exception {
    // the other tests' reconciles (success, refusals, failures) have logged by now, or will have
    theRefResolvesOverSshAndTheJobGetsTheSecretAsFilesInItsSourceStepOnly();
    anotherHostKeyIsRefusedAndTheConditionSaysSoNamingTheHost();
    String text = logs.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("release=");
    assertNoKeyMaterial(text);
  }

  private static void assertNoKeyMaterial(String text) throws Exception {
    List<String> lines = SshServer.keyLines();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(text).doesNotContain(line);
    }
    for (String line :
        new String(
                Files.readAllBytes(SshServer.wrongKeyDir().resolve(GitCredentials.SSH_PRIVATE_KEY)),
                StandardCharsets.UTF_8)
            .split("\n")) {
      if (!line.startsWith("-----") && line.length() >= 16) {
        assertThat(text).doesNotContain(line.strip());
      }
    }
  }
}
