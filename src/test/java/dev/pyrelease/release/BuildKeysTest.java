package dev.pyrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.RequirementsFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildKeysTest {
  private static final String H1 = "sha256:" + "a".repeat(64);
  private static final String H2 = "sha256:" + "b".repeat(64);
  private static final String INDEX =
      BuildKeys.indexId(IndexLocation.simple("http://127.0.0.1:8081/simple/"));

  private static List<String> lines(String text) {
    ParsedRequirements p = RequirementsFile.parseInline(text, "inline");
    assertThat(p.problems()).isEmpty();
    return NormalizedRequirements.withHashes(p.requirements());
  }

  private static String dep(List<String> lines) {
    return BuildKeys.dependencyKey(lines, "sha256:" + "0".repeat(64), INDEX, "pyrelease 1");
  }

  private static String build(List<String> lines) {
    return BuildKeys.buildKey("tree:sha256:1", lines, INDEX, "base:3.11", "pyrelease 1");
  }

  @Test
  void aBuildImageOtherThanTheBaseIsInBothKeysByItsDigest() {
    List<String> l = lines("django==5.2.17\n");
    String base = "sha256:" + "0".repeat(64);
    String gcc1 = "sha256:" + "1".repeat(64);
    String gcc2 = "sha256:" + "2".repeat(64);
    // none: the keys are those of a release without the field (no rebuild of existing releases)
    assertThat(BuildKeys.dependencyKey(l, base, INDEX, "pyrelease 1", null)).isEqualTo(dep(l));
    assertThat(
            BuildKeys.buildKey(
                "tree:sha256:1", l, INDEX, "base:3.11", "pyrelease 1", List.of(), null))
        .isEqualTo(build(l));
    // a build image changes both; another digest of it (its tag moved) changes both again
    String d1 = BuildKeys.dependencyKey(l, base, INDEX, "pyrelease 1", gcc1);
    String d2 = BuildKeys.dependencyKey(l, base, INDEX, "pyrelease 1", gcc2);
    assertThat(d1).isNotEqualTo(dep(l)).isNotEqualTo(d2);
    String b1 =
        BuildKeys.buildKey(
            "tree:sha256:1", l, INDEX, "base:3.11", "pyrelease 1", List.of(), "gcc:1@" + gcc1);
    String b2 =
        BuildKeys.buildKey(
            "tree:sha256:1", l, INDEX, "base:3.11", "pyrelease 1", List.of(), "gcc:1@" + gcc2);
    assertThat(b1).isNotEqualTo(build(l)).isNotEqualTo(b2);
  }

  @Test
  void theBuildImageIsChosenOnlyWhenItIsNotTheBase() {
    var spec = new dev.pyrelease.api.v1alpha1.PythonReleaseSpec();
    spec.setPython(new dev.pyrelease.api.v1alpha1.PythonSpec());
    assertThat(BaseImageRef.chooseBuild(spec, "reg/python:3.11")).isNull();
    spec.getPython().setBuildImage("reg/python:3.11");
    assertThat(BaseImageRef.chooseBuild(spec, "reg/python:3.11")).isNull();
    spec.getPython().setBuildImage("reg/python-build:3.11");
    assertThat(BaseImageRef.chooseBuild(spec, "reg/python:3.11"))
        .isEqualTo("reg/python-build:3.11");
  }

  @Test
  void normalisesNamesVersionsExtrasMarkersAndHashes() {
    List<String> l =
        lines(
            "Django_Rest.Framework[Zeta, alpha]==3.0 ; python_version>='3.8'  --hash="
                + H2
                + " --hash="
                + H1
                + "\n");
    assertThat(l)
        .containsExactly(
            "django-rest-framework[alpha,zeta]==3.0; python_version >= \"3.8\" --hash="
                + H1
                + " --hash="
                + H2);
  }

  @Test
  void commentsOrderingAndWhitespaceDoNotChangeKeys() {
    String a = "django==5.2.17 --hash=" + H1 + "\ngunicorn==26.2.0\n";
    String b =
        "# production pins\n\ngunicorn == 26.2.0   # the server\nDjango==5.2.17 \\\n"
            + "    --hash="
            + H1
            + "\n";
    assertThat(dep(lines(a))).isEqualTo(dep(lines(b)));
    assertThat(build(lines(a))).isEqualTo(build(lines(b)));
  }

  @Test
  void equivalentVersionSpellingsGiveOneKey() {
    assertThat(dep(lines("pillow==11.3.0\n"))).isEqualTo(dep(lines("Pillow==11.3.0\n")));
    assertThat(dep(lines("foo==1.0rc1\n"))).isEqualTo(dep(lines("foo==1.0-rc1\n")));
  }

  @Test
  void everyInputChangesTheDependencyKey() {
    List<String> l = lines("pillow==11.3.0 --hash=" + H1 + "\n");
    String k = dep(l);
    assertThat(k).matches("[0-9a-f]{64}");
    assertThat(dep(lines("pillow==12.3.0 --hash=" + H1 + "\n"))).isNotEqualTo(k);
    assertThat(dep(lines("pillow==11.3.0 --hash=" + H2 + "\n"))).isNotEqualTo(k);
    assertThat(dep(lines("pillow==11.3.0\n"))).isNotEqualTo(k);
    assertThat(BuildKeys.dependencyKey(l, "sha256:" + "1".repeat(64), INDEX, "pyrelease 1"))
        .isNotEqualTo(k);
    assertThat(BuildKeys.dependencyKey(l, "sha256:" + "0".repeat(64), "simple x", "pyrelease 1"))
        .isNotEqualTo(k);
    assertThat(BuildKeys.dependencyKey(l, "sha256:" + "0".repeat(64), INDEX, "pyrelease 2"))
        .isNotEqualTo(k);
  }

  @Test
  void theSourceChangesTheBuildKeyButNotTheDependencyKey() {
    List<String> l = lines("pillow==11.3.0\n");
    String a = BuildKeys.buildKey("tree:sha256:1", l, INDEX, "b", "v");
    String b = BuildKeys.buildKey("tree:sha256:2", l, INDEX, "b", "v");
    assertThat(a).isNotEqualTo(b);
    assertThat(BuildKeys.buildKey("tree:sha256:1", l, INDEX, "b2", "v")).isNotEqualTo(a);
  }

  @Test
  void buildCommandsAreInTheBuildKeyOnlyAndNoneLeaveItAsItWas() {
    List<String> l = lines("django==5.2.17\n");
    List<List<String>> collect = List.of(List.of("python", "manage.py", "collectstatic"));
    String without = BuildKeys.buildKey("tree:sha256:1", l, INDEX, "b", "v");
    assertThat(BuildKeys.buildKey("tree:sha256:1", l, INDEX, "b", "v", List.of()))
        .isEqualTo(without);
    String with = BuildKeys.buildKey("tree:sha256:1", l, INDEX, "b", "v", collect);
    assertThat(with).isNotEqualTo(without);
    // another command, another order, another split of the same words: another image
    List<String> compile = List.of("python", "manage.py", "compilemessages");
    assertThat(
            List.of(
                BuildKeys.buildKey("tree:sha256:1", l, INDEX, "b", "v", List.of(compile)),
                BuildKeys.buildKey(
                    "tree:sha256:1", l, INDEX, "b", "v", List.of(collect.get(0), compile)),
                BuildKeys.buildKey(
                    "tree:sha256:1", l, INDEX, "b", "v", List.of(compile, collect.get(0))),
                BuildKeys.buildKey(
                    "tree:sha256:1",
                    l,
                    INDEX,
                    "b",
                    "v",
                    List.of(List.of("python manage.py collectstatic"))),
                BuildKeys.buildKey(
                    "tree:sha256:1",
                    l,
                    INDEX,
                    "b",
                    "v",
                    List.of(List.of("python", "manage.py"), List.of("collectstatic")))))
        .doesNotHaveDuplicates()
        .doesNotContain(with, without);
  }

  @Test
  void theReleasesKeysTakeItsBuildCommandsBothSidesComputeThemAlike() {
    var release = dev.pyrelease.kube.ReleaseFixture.shop();
    ParsedRequirements parsed = RequirementsFile.parseInline("django==5.2.17\n", "inline");
    BaseImageRef base = new BaseImageRef("base:3.11", "sha256:" + "0".repeat(64));
    IndexLocation index = IndexLocation.simple("http://127.0.0.1:8081/simple/");
    ReleaseKeys plain = ReleaseKeys.of(release.getSpec(), parsed, "c1", index, base, "v");
    release.getSpec().setBuild(new dev.pyrelease.api.v1alpha1.BuildSpec());
    assertThat(ReleaseKeys.of(release.getSpec(), parsed, "c1", index, base, "v"))
        .as("no commands (build: {}) is the key without them")
        .isEqualTo(plain);
    release
        .getSpec()
        .getBuild()
        .setCommands(List.of(List.of("python", "manage.py", "collectstatic", "--noinput")));
    ReleaseKeys with = ReleaseKeys.of(release.getSpec(), parsed, "c1", index, base, "v");
    assertThat(with.buildKey()).isNotEqualTo(plain.buildKey());
    assertThat(with.dependencyKey()).isEqualTo(plain.dependencyKey());
    assertThat(ReleaseKeys.buildCommands(release.getSpec()))
        .containsExactly(List.of("python", "manage.py", "collectstatic", "--noinput"));
  }

  @Test
  void fieldsCannotBleedIntoEachOther() {
    assertThat(BuildKeys.dependencyKey(List.of("a", "b"), "d", "i", "v"))
        .isNotEqualTo(BuildKeys.dependencyKey(List.of("a\n- 1:b"), "d", "i", "v"));
    assertThat(BuildKeys.dependencyKey(List.of("ab"), "d", "i", "v"))
        .isNotEqualTo(BuildKeys.dependencyKey(List.of("a", "b"), "d", "i", "v"));
  }

  @Test
  void indexCredentialsAreNotPartOfTheKey() {
    String plain = BuildKeys.indexId(IndexLocation.simple("https://pyrepo.internal/simple/"));
    String withCreds =
        BuildKeys.indexId(IndexLocation.simple("https://user:secret@pyrepo.internal/simple/"));
    assertThat(withCreds).isEqualTo(plain).doesNotContain("secret");
    assertThat(BuildKeys.indexId(IndexLocation.simple("https://pyrepo.internal/simple")))
        .isEqualTo(plain);
  }

  @Test
  void dependencyTagIsAValidDockerTag() {
    String k = dep(lines("pillow==11.3.0\n"));
    assertThat(BuildKeys.dependencyTag(k)).isEqualTo("deps-" + k).matches("[\\w][\\w.-]{0,127}");
  }

  @Test
  void unpinnedLinesAreRefused() {
    ParsedRequirements p = RequirementsFile.parseInline("pillow>=11\n", "inline");
    assertThatThrownBy(() -> NormalizedRequirements.withHashes(p.requirements()))
        .hasMessageContaining("inline:1: not an exact pin");
  }
}
