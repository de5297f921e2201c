package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.cli.Cli;
import dev.pyrelease.engine.BuildPlan;
import dev.pyrelease.engine.SourceStep;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.python.FileTree;
import dev.pyrelease.release.IndexLocations;
import dev.pyrelease.release.VenvScript;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.jgit.JGitResolver;
import dev.pyrelease.validate.ReleaseValidation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One corpus of requirement trees, committed to a real git repository, through the operator's
 * reconcile path (the mock API server, the real JGit resolver) and through {@code pyrelease check}
 * (at the commit without {@code --source}, and in a checkout with it): the same verdict, the same
 * problem locations, and for valid trees the same build key on the operator's Job as the build's
 * source step computes from what check read.
 */
@EnableKubernetesMockClient(crud = true)
class RequirementsCorpusAgreementTest extends OperatorTestBase {
  static KubernetesClient client;
  static PyreleaseOperator operator;
  static JGitResolver git;
  static Path repo;
  static Path work;
  static String commit;

  /** Each case is an app directory {@code cases/<name>} with its requirements.txt. */
  static final Map<String, List<String[]>> CASES =
      Map.ofEntries(
          Map.entry(
              "quoted",
              List.<String[]>of(
                  f("requirements.txt", "-r \"base.txt\"\nflask==3.1.0\n"),
                  f("base.txt", "gunicorn==23.0.0\n"))),
          Map.entry(
              "single-quoted-long",
              List.<String[]>of(
                  f("requirements.txt", "--requirement='base.txt'\nflask==3.1.0\n"),
                  f("base.txt", "gunicorn==23.0.0\n"))),
          Map.entry(
              "continued",
              List.<String[]>of(
                  f("requirements.txt", "-r \\\n  base.txt\nflask==3.1.0\n"),
                  f("base.txt", "gunicorn==23.0.0\n"))),
          Map.entry(
              "nested-with-comments",
              List.<String[]>of(
                  f("requirements.txt", "# prod\n-r common/base.txt  # shared\nflask==3.1.0\n"),
                  f("common/base.txt", "-c ../constraints.txt\ngunicorn==23.0.0 # web\n"),
                  f("constraints.txt", "gunicorn==23.0.0\n"))),
          Map.entry(
              "unpinned-in-include",
              List.<String[]>of(
                  f("requirements.txt", "-r base.txt\nflask==3.1.0\n"),
                  f("base.txt", "gunicorn>=23\n"))),
          Map.entry(
              "escapes-repository",
              List.<String[]>of(
                  f("requirements.txt", "-r ../../../../etc/hostname\nflask==3.1.0\n"))),
          Map.entry(
              "shared-root-file",
              List.<String[]>of(f("requirements.txt", "-r ../../shared.txt\nflask==3.1.0\n"))),
          Map.entry(
              "missing-include",
              List.<String[]>of(f("requirements.txt", "-c missing.txt\nflask==3.1.0\n"))),
          Map.entry(
              "link-out",
              List.<String[]>of(
                  f("requirements.txt", "-r host.txt\nflask==3.1.0\n"),
                  link("host.txt", "/etc/hostname"))),
          Map.entry(
              "link-inside",
              List.<String[]>of(
                  f("requirements.txt", "-r current.txt\nflask==3.1.0\n"),
                  link("current.txt", "pins/v2.txt"),
                  f("pins/v2.txt", "gunicorn==23.0.0\n"))),
          Map.entry(
              "pip-options",
              List.<String[]>of(
                  f("requirements.txt", "-r base.txt\n--pre\nflask==3.1.0\n"),
                  f("base.txt", "--extra-index-url https://other/simple/\ngunicorn==23.0.0\n"))),
          Map.entry(
              "cycle",
              List.<String[]>of(
                  f("requirements.txt", "-r a.txt\nflask==3.1.0\n"),
                  f("a.txt", "-r requirements.txt\n"))));

  static final Set<String> VALID =
      Set.of(
          "quoted",
          "single-quoted-long",
          "continued",
          "nested-with-comments",
          "shared-root-file",
          "link-inside");

  static String[] f(String path, String text) {
    return new String[] {path, text};
  }

  static String[] link(String path, String target) {
    return new String[] {path, null, target};
  }

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("pyrelease-corpus");
    repo = work.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("shared.txt"), "gunicorn==23.0.0\n");
    for (var c : CASES.entrySet()) {
      Path app = repo.resolve("cases").resolve(c.getKey());
      for (String[] file : c.getValue()) {
        Path p = app.resolve(file[0]);
        Files.createDirectories(p.getParent());
        if (file[1] != null) {
          Files.writeString(p, file[1]);
        } else {
          Files.createSymbolicLink(p, Path.of(file[2]));
        }
      }
    }
    try (Git g = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      g.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      commit = g.commit().setMessage("corpus").setAuthor(who).setCommitter(who).call().name();
    }
    git = new JGitResolver(work.resolve("git-cache"), JGitResolver.DEFAULT_TIMEOUT, true);
    operator = startOperator(client, git, CONFIG);
  }

  @AfterAll
  static void stop() {
    operator.close();
    git.close();
  }

  record Verdict(boolean valid, Set<String> locations) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "quoted",
        "single-quoted-long",
        "continued",
        "nested-with-comments",
        "unpinned-in-include",
        "escapes-repository",
        "shared-root-file",
        "missing-include",
        "link-out",
        "link-inside",
        "pip-options",
        "cycle"
      })
  void checkAndTheOperatorAgree(String name) throws Exception {
    Path manifest = manifest(name);

    Verdict atCommit = check(manifest);
    assertThat(atCommit.valid()).as(name).isEqualTo(VALID.contains(name));
    Verdict inCheckout = check(manifest, "--source", repo.toString());
    assertThat(inCheckout).isEqualTo(atCommit);

    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    PythonRelease r = Kube.release(ns, "app", "main");
    r.getSpec().getSource().getGit().setUrl(repo.toUri().toString());
    r.getSpec().getSource().setPath("cases/" + name);
    r.getSpec().getRequirements().setInline(null);
    r.getSpec().getRequirements().setFile("requirements.txt");
    // the index the manifest check reads names (Kube.release gives each namespace its own)
    r.getSpec().getIndex().setUrl("https://pyrepo.test/simple/");
    kube.create(r);
    PythonRelease seen =
        awaitRelease(
            kube,
            ns,
            "app",
            x ->
                hasCondition(x, "Built", "False", "InvalidRequirements")
                    || hasCondition(x, "Built", "False", "Building"));
    boolean valid = hasCondition(seen, "Built", "False", "Building");
    Set<String> locations =
        valid ? Set.of() : locations(condition(seen, "Built").getMessage().lines().toList());
    assertThat(new Verdict(valid, locations)).as(name).isEqualTo(atCommit);

    if (valid) {
      Job job = kube.buildJobs(ns, "app").get(0);
      String operatorKey = Labels.annotation(job, Labels.BUILD_KEY);
      // what pyrelease check read, keyed as the build's source step keys it
      FileTree tree = git.tree(repo.toUri().toString(), commit, GitCredentials.none());
      ReleaseValidation v = ReleaseValidation.of(manifest, tree);
      String base = r.getSpec().getPython().getBaseImage();
      BuildPlan plan =
          SourceStep.plan(
              "app",
              v.manifest().release().getSpec(),
              v.requirements(),
              new SourceStep.Inputs(
                  commit,
                  IndexLocations.of(v.manifest().release().getSpec().getIndex()),
                  base,
                  BASES.digest(base, null),
                  Kube.REPO,
                  VenvScript.fromJar().builderVersion()));
      assertThat(plan.buildKey()).as(name).isEqualTo(operatorKey);
    }
  }

  /** The manifest of the release the operator gets. */
  private Path manifest(String name) throws Exception {
    Path file = work.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: app}
        spec:
          source: {git: {url: "%s", ref: main}, path: cases/%s}
          requirements: {file: requirements.txt}
          index: {url: "https://pyrepo.test/simple/"}
          python: {version: "3.11", baseImage: "registry.test/python:3.11-slim"}
          image: {repository: "%s"}
          run: {command: [gunicorn, shop.wsgi, -b, "0.0.0.0:8000"]}
        """
            .formatted(repo.toUri(), name, Kube.REPO));
    return file;
  }

  private Verdict check(Path manifest, String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] args = concat(new String[] {"check", "-f", manifest.toString(), "--no-index"}, more);
    int code =
        new Cli(
                Map.of("PYRELEASE_CACHE_DIR", ""),
                new PrintWriter(out, true),
                new PrintWriter(err, true))
            .run(args);
    assertThat(code).as(out + "\n" + err).isIn(0, 1);
    return new Verdict(
        code == 0, code == 0 ? Set.of() : locations(out.toString().lines().toList()));
  }

  /** The {@code file:line} each problem line starts with. */
  private static Set<String> locations(List<String> lines) {
    return lines.stream()
        .filter(l -> l.matches("^[^ ]+:\\d+:.*"))
        .map(l -> l.substring(0, l.indexOf(':', l.indexOf(':') + 1)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
