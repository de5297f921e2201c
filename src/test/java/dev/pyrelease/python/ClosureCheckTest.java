package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClosureCheckTest {
  private static final TargetPython PY311 = TargetPython.linux("3.11");

  private static final String[] FLASK_STACK = {
    "flask-3.1.3",
    "werkzeug-3.1.9",
    "jinja2-3.1.6",
    "itsdangerous-2.2.0",
    "click-8.5.0",
    "blinker-1.9.0",
    "markupsafe-3.0.3"
  };

  private static final String[] CELERY_STACK = {
    "celery-5.6.3",
    "billiard-4.3.0",
    "kombu-5.6.2",
    "vine-5.1.0",
    "click-8.5.0",
    "click-plugins-1.1.1.2",
    "python-dateutil-2.9.0.post0",
    "six-1.17.0",
    "tzlocal-5.4.4",
    "amqp-5.4.0",
    "tzdata-2026.4",
    "packaging-26.3"
  };

  /** Pins "name==version" for each fixture, with origins "requirements/prod.txt:LINE". */
  private static List<Pin> pins(String... namesAndVersions) {
    List<Pin> pins = new ArrayList<>();
    for (String nv : namesAndVersions) {
      CoreMetadata md = Fixtures.metadata(nv);
      pins.add(pin(md.name(), md.version().toString(), Set.of(), pins.size() + 1));
    }
    return pins;
  }

  private static Pin pin(String name, String version, Set<String> extras, int line) {
    return new Pin(name, Version.parse(version), extras, "requirements/prod.txt:" + line);
  }

  @Test
  void flaskStackIsClosedAndIgnoresMarkersFalseForTheTarget() {
    List<ClosureProblem> problems =
        ClosureCheck.check(pins(FLASK_STACK), Fixtures.index(FLASK_STACK), PY311);
    // flask's "importlib-metadata>=3.6.0; python_version < '3.10'" must not count on 3.11
    assertThat(problems).isEmpty();
  }

  @Test
  void flaskStackOnPython39NeedsImportlibMetadataAndANewerPythonForClick() {
    List<ClosureProblem> problems =
        ClosureCheck.check(
            pins(FLASK_STACK), Fixtures.index(FLASK_STACK), TargetPython.linux("3.9"));
    assertThat(problems)
        .extracting(ClosureProblem::kind, ClosureProblem::distribution, ClosureProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ClosureProblem.Kind.MISSING,
                "importlib-metadata",
                "flask 3.1.3 requires importlib-metadata>=3.6.0, which is not pinned;"
                    + " required: its marker 'python_version < \"3.10\"' is true for CPython"
                    + " 3.9.0 on Linux"),
            org.assertj.core.groups.Tuple.tuple(
                ClosureProblem.Kind.REQUIRES_PYTHON,
                "click",
                "click 8.5.0 requires Python >=3.10, target is 3.9.0"
                    + " (pinned at requirements/prod.txt:5)"));
  }

  @Test
  void celeryMissesClickDidyoumeanAndClickRepl() {
    List<ClosureProblem> problems =
        ClosureCheck.check(pins(CELERY_STACK), Fixtures.index(CELERY_STACK), PY311);
    assertThat(problems)
        .extracting(ClosureProblem::message)
        .containsExactly(
            "celery 5.6.3 requires click-didyoumean>=0.3.0, which is not pinned"
                + "; required unconditionally (no marker)",
            "celery 5.6.3 requires click-repl>=0.2.0, which is not pinned"
                + "; required unconditionally (no marker)");
    assertThat(problems)
        .extracting(ClosureProblem::kind, ClosureProblem::distribution)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ClosureProblem.Kind.MISSING, "click-didyoumean"),
            org.assertj.core.groups.Tuple.tuple(ClosureProblem.Kind.MISSING, "click-repl"));
  }

  @Test
  void kombuRedisExtraConflictsWithRedis8() {
    List<Pin> pins = new ArrayList<>(pins("amqp-5.4.0", "vine-5.1.0", "tzdata-2026.4"));
    pins.add(pin("packaging", "26.3", Set.of(), 4));
    pins.add(pin("kombu", "5.6.2", Set.of("redis"), 5));
    pins.add(pin("redis", "8.1.0", Set.of(), 7));
    Map<String, CoreMetadata> index =
        Fixtures.index(
            "amqp-5.4.0",
            "vine-5.1.0",
            "tzdata-2026.4",
            "packaging-26.3",
            "kombu-5.6.2",
            "redis-8.1.0");

    List<ClosureProblem> problems = ClosureCheck.check(pins, index, TargetPython.linux("3.11.9"));
    assertThat(problems)
        .extracting(ClosureProblem::kind, ClosureProblem::distribution, ClosureProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ClosureProblem.Kind.CONFLICT,
                "redis",
                "kombu 5.6.2 [redis] requires redis!=4.5.5,!=5.0.2,<6.5,>=4.5.2,"
                    + " but redis==8.1.0 is pinned (requirements/prod.txt:7);"
                    + " required: its marker 'extra == \"redis\"' holds, the extra 'redis' was"
                    + " asked for"));

    // on 3.11.0 redis itself also needs async-timeout (python_full_version < '3.11.3')
    assertThat(ClosureCheck.check(pins, index, PY311))
        .extracting(ClosureProblem::kind, ClosureProblem::distribution)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ClosureProblem.Kind.CONFLICT, "redis"),
            org.assertj.core.groups.Tuple.tuple(ClosureProblem.Kind.MISSING, "async-timeout"));
  }

  @Test
  void withoutTheExtraRedisIsNotRequired() {
    List<Pin> pins =
        pins(
            "kombu-5.6.2",
            "amqp-5.4.0",
            "vine-5.1.0",
            "tzdata-2026.4",
            "packaging-26.3",
            "redis-8.1.0");
    Map<String, CoreMetadata> index =
        Fixtures.index(
            "kombu-5.6.2",
            "amqp-5.4.0",
            "vine-5.1.0",
            "tzdata-2026.4",
            "packaging-26.3",
            "redis-8.1.0");
    assertThat(ClosureCheck.check(pins, index, TargetPython.linux("3.12"))).isEmpty();
  }

  @Test
  void extrasCascadeThroughRequirements() {
    // celery[redis] requires kombu[redis], so kombu's redis requirement applies although
    // kombu itself is pinned without extras
    List<Pin> pins = new ArrayList<>(pins(CELERY_STACK));
    pins.set(0, pin("celery", "5.6.3", Set.of("Redis"), 1));
    pins.add(pin("redis", "8.1.0", Set.of(), 20));
    Map<String, CoreMetadata> index = new HashMap<>(Fixtures.index(CELERY_STACK));
    index.putAll(Fixtures.index("redis-8.1.0"));

    List<ClosureProblem> problems = ClosureCheck.check(pins, index, TargetPython.linux("3.12"));
    assertThat(problems)
        .extracting(ClosureProblem::message)
        .containsExactly(
            "celery 5.6.3 requires click-didyoumean>=0.3.0, which is not pinned"
                + "; required unconditionally (no marker)",
            "celery 5.6.3 requires click-repl>=0.2.0, which is not pinned"
                + "; required unconditionally (no marker)",
            "kombu 5.6.2 [redis] requires redis!=4.5.5,!=5.0.2,<6.5,>=4.5.2,"
                + " but redis==8.1.0 is pinned (requirements/prod.txt:20);"
                + " required: its marker 'extra == \"redis\"' holds, the extra 'redis' was asked"
                + " for");
  }

  @Test
  void reportsPinsWithoutMetadataOrWithMetadataOfAnotherVersion() {
    List<Pin> pins =
        List.of(pin("six", "1.17.0", Set.of(), 1), pin("blinker", "1.8.0", Set.of(), 2));
    List<ClosureProblem> problems =
        ClosureCheck.check(pins, Fixtures.index("blinker-1.9.0"), PY311);
    assertThat(problems)
        .containsExactly(
            new ClosureProblem(
                ClosureProblem.Kind.NO_METADATA,
                "six",
                "no METADATA for six==1.17.0 (requirements/prod.txt:1),"
                    + " so its dependencies were not checked"),
            new ClosureProblem(
                ClosureProblem.Kind.NO_METADATA,
                "blinker",
                "the METADATA found for blinker is for version 1.9.0,"
                    + " but blinker==1.8.0 is pinned (requirements/prod.txt:2)"));
  }

  @Test
  void explicitlyPinnedPrereleaseSatisfiesARange() {
    Map<String, CoreMetadata> index =
        Map.of(
            "app", CoreMetadata.parse("Name: app\nVersion: 1\nRequires-Dist: lib>=2.0,<3\n"),
            "lib", CoreMetadata.parse("Name: lib\nVersion: 2.5rc1\n"));
    List<Pin> pins = List.of(pin("app", "1", Set.of(), 1), pin("lib", "2.5rc1", Set.of(), 2));
    assertThat(ClosureCheck.check(pins, index, PY311)).isEmpty();

    List<Pin> tooOld = List.of(pin("app", "1", Set.of(), 1), pin("lib", "2.0rc1", Set.of(), 2));
    Map<String, CoreMetadata> oldIndex =
        Map.of("app", index.get("app"), "lib", CoreMetadata.parse("Name: lib\nVersion: 2.0rc1\n"));
    assertThat(ClosureCheck.check(tooOld, oldIndex, PY311))
        .extracting(ClosureProblem::kind)
        .containsExactly(ClosureProblem.Kind.CONFLICT);
  }

  @Test
  void namesAreComparedNormalisedAndUrlRequirementsNeedOnlyThePin() {
    Map<String, CoreMetadata> index =
        Map.of(
            "App",
                CoreMetadata.parse(
                    "Name: App\nVersion: 1\nRequires-Dist: Zope.Interface>=5\n"
                        + "Requires-Dist: other @ https://example.com/other-1.0.whl\n"),
            "zope-interface", CoreMetadata.parse("Name: zope.interface\nVersion: 6.0\n"),
            "other", CoreMetadata.parse("Name: other\nVersion: 0.1\n"));
    List<Pin> pins =
        List.of(
            pin("app", "1", Set.of(), 1),
            pin("zope_interface", "6.0", Set.of(), 2),
            pin("other", "0.1", Set.of(), 3));
    assertThat(ClosureCheck.check(pins, index, PY311)).isEmpty();
  }

  @Test
  void selfReferencingExtrasTerminate() {
    Map<String, CoreMetadata> index =
        Map.of(
            "pkg",
            CoreMetadata.parse(
                "Name: pkg\nVersion: 1\nProvides-Extra: all\nProvides-Extra: a\n"
                    + "Requires-Dist: pkg[a]; extra == 'all'\n"
                    + "Requires-Dist: pkg[all]; extra == 'a'\n"
                    + "Requires-Dist: dep-a; extra == 'a'\n"));
    assertThat(ClosureCheck.check(List.of(pin("pkg", "1", Set.of("all"), 1)), index, PY311))
        .extracting(ClosureProblem::message)
        .containsExactly(
            "pkg 1 [a] requires dep-a, which is not pinned;"
                + " required: its marker 'extra == \"a\"' holds, the extra 'a' was asked for");
  }

  @Test
  void anAppsOwnDependenciesAreRootsOfTheClosure() {
    Map<String, CoreMetadata> index = Fixtures.index(FLASK_STACK);
    ClosureCheck.Root app =
        new ClosureCheck.Root(
            "the app shop 1.4.2 (pyproject.toml [project] dependencies)",
            List.of(
                Requirement.parse("rich>=13"),
                Requirement.parse("flask>=3"),
                Requirement.parse("click<8"),
                Requirement.parse("legacy; python_version < '3.8'")));
    List<ClosureProblem> problems =
        ClosureCheck.check(pins(FLASK_STACK), index, PY311, List.of(app));
    assertThat(problems)
        .extracting(ClosureProblem::kind, ClosureProblem::distribution, ClosureProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ClosureProblem.Kind.MISSING,
                "rich",
                "the app shop 1.4.2 (pyproject.toml [project] dependencies) requires rich>=13,"
                    + " which is not pinned; required unconditionally (no marker)"),
            org.assertj.core.groups.Tuple.tuple(
                ClosureProblem.Kind.CONFLICT,
                "click",
                "the app shop 1.4.2 (pyproject.toml [project] dependencies) requires click<8,"
                    + " but click==8.5.0 is pinned (requirements/prod.txt:5);"
                    + " required unconditionally (no marker)"));
    assertThat(problems).allMatch(p -> p.requirement() != null && !p.ignored());
  }

  @Test
  void anIgnoredDistributionIsReportedButDoesNotFail() {
    List<ClosureProblem> problems =
        ClosureProblem.applyIgnores(
            ClosureCheck.check(pins(CELERY_STACK), Fixtures.index(CELERY_STACK), PY311),
            Map.of("click-didyoumean", "the CLI's suggestion plugin; workers never import it"));
    assertThat(problems).hasSize(2);
    assertThat(ClosureProblem.failing(problems))
        .extracting(ClosureProblem::distribution)
        .containsExactly("click-repl");
    assertThat(problems.get(0).describe())
        .isEqualTo(
            "celery 5.6.3 requires click-didyoumean>=0.3.0, which is not pinned; required"
                + " unconditionally (no marker) \u2014 ignored (spec.requirements.closure.ignore:"
                + " the CLI's suggestion plugin; workers never import it)");
    // only missing and conflicting requirements can be ignored
    ClosureProblem noMetadata =
        new ClosureProblem(ClosureProblem.Kind.NO_METADATA, "six", "no METADATA for six");
    assertThat(ClosureProblem.applyIgnores(List.of(noMetadata), Map.of("six", "x")))
        .containsExactly(noMetadata);
  }

  @Test
  void emptyPinsHaveNoProblems() {
    assertThat(ClosureCheck.check(List.of(), Map.of(), PY311)).isEmpty();
  }
}
