package dev.pyrelease.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.index.IndexFile;
import dev.pyrelease.index.PackageIndex;
import dev.pyrelease.python.ClosureProblem;
import dev.pyrelease.python.Requirement;
import dev.pyrelease.python.TargetPython;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index's part of a closure message: whether the distribution exists, what would satisfy. */
class ClosureOnIndexTest {
  static final TargetPython PY311 = TargetPython.linux("3.11");

  /** An index holding exactly these files. */
  static PackageIndex index(Map<String, List<String>> files) {
    return new PackageIndex() {
      @Override
      public List<IndexFile> files(String name) {
        return files(List.of(name)).get(name);
      }

      @Override
      public Map<String, List<IndexFile>> files(List<String> names) {
        Map<String, List<IndexFile>> out = new LinkedHashMap<>();
        for (String n : names) {
          if (files.containsKey(n)) {
            out.put(
                n,
                files.get(n).stream()
                    .map(
                        f ->
                            new IndexFile(
                                f, "http://127.0.0.1/" + f, null, null, false, null, null))
                    .toList());
          }
        }
        return out;
      }

      @Override
      public String metadata(IndexFile file) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Map<IndexFile, String> metadata(Collection<IndexFile> files) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }

  static ClosureProblem missing(String who, String requirement) {
    Requirement r = Requirement.parse(requirement);
    return new ClosureProblem(
        ClosureProblem.Kind.MISSING,
        r.normalizedName(),
        who + " requires " + r.withoutMarker() + ", which is not pinned",
        r,
        null);
  }

  @Test
  void aDistributionTheIndexLacksCannotBePinnedAndTheMessageSaysSo() {
    List<ClosureProblem> out =
        ClosureOnIndex.annotate(
            List.of(missing("celery 5.6.3", "click-didyoumean>=0.3.0")), index(Map.of()), PY311);
    assertThat(out.get(0).message())
        .isEqualTo(
            "celery 5.6.3 requires click-didyoumean>=0.3.0, which is not pinned; the index has no"
                + " click-didyoumean at all, so it cannot be pinned: publish it to the index, or,"
                + " if nothing the release runs imports it, add {name: click-didyoumean, reason:"
                + " ...} to spec.requirements.closure.ignore");
  }

  @Test
  void theVersionsThatWouldSatisfyAreNamedNewestFirstOnlyInstallableOnes() {
    PackageIndex idx =
        index(
            Map.of(
                "tzlocal",
                List.of(
                    "tzlocal-4.0-py3-none-any.whl",
                    "tzlocal-5.4.4-py3-none-any.whl",
                    "tzlocal-5.5.tar.gz",
                    "tzlocal-6.0-cp312-cp312-win_amd64.whl")));
    assertThat(
            ClosureOnIndex.annotate(List.of(missing("celery 5.6.3", "tzlocal>=5")), idx, PY311)
                .get(0)
                .message())
        .endsWith(
            "; on the index, tzlocal>=5 is met by tzlocal 5.5, 5.4.4 (pin one, e.g."
                + " tzlocal==5.5)");
    assertThat(
            ClosureOnIndex.annotate(List.of(missing("x 1", "tzlocal>=7")), idx, PY311)
                .get(0)
                .message())
        .endsWith("; the index has tzlocal 5.5, 5.4.4, 4.0, none of which satisfies tzlocal>=7");
  }

  @Test
  void anIgnoredProblemGetsTheShortNoteAndOthersAreLeftAlone() {
    ClosureProblem ignored =
        ClosureProblem.applyIgnores(
                List.of(missing("celery 5.6.3", "click-repl>=0.2.0")),
                Map.of("click-repl", "shell"))
            .get(0);
    ClosureProblem lib =
        new ClosureProblem(ClosureProblem.Kind.SHARED_LIBRARY, "numpy", "numpy needs libstdc++");
    List<ClosureProblem> out =
        ClosureOnIndex.annotate(List.of(ignored, lib), index(Map.of()), PY311);
    assertThat(out.get(0).message()).endsWith("; the index has no click-repl at all");
    assertThat(out.get(0).ignoredBecause()).isEqualTo("shell");
    assertThat(out.get(1)).isEqualTo(lib);
  }
}
