package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PinPolicyTest {

  private static final String H =
      "fe386d1c2bff7259ea95929266d12a8cf9a8b5a1c2598402967d8792e7a7c094";

  private static List<String> check(String text, boolean requireHashes) {
    return PinPolicy.check(RequirementsFile.parseInline(text, "inline"), requireHashes).stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void exactPinsAreAccepted() {
    assertThat(
            check(
                "django==5.2.17\n"
                    + "legacy===1.0-custom\n"
                    + "local==1.0+build.1\n"
                    + "Upper_Case.Name==2.0\n"
                    + "post==1.0.post1\n"
                    + "pre==2.0rc1\n"
                    + "spaces == 1.0\n",
                false))
        .isEmpty();
  }

  @Test
  void hashesAreOptionalUnlessRequired() {
    assertThat(check("django==5.2.17\n", false)).isEmpty();
    assertThat(check("django==5.2.17 --hash=sha256:" + H + "\n", true)).isEmpty();
    assertThat(check("django==5.2.17 --hash=sha256:" + H.toUpperCase() + "\n", true)).isEmpty();
    assertThat(check("django==5.2.17\n", true)).hasSize(1);
  }

  @Test
  void constraintsAreCheckedForSyntaxOnly() {
    ParsedRequirements parsed =
        new ParsedRequirements(
            List.of(),
            RequirementsFile.parseInline("urllib3>=2,<3\ncertifi\n", "c.txt").requirements(),
            List.of(),
            List.of());
    assertThat(PinPolicy.check(parsed, true)).isEmpty();
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    assertThat(check("a>=1 --hash=md5:x\n" + "b\n" + "A==1\n", true))
        .containsExactly(
            "inline:1: 'a>=1' is not pinned: >= allows a range of versions — pin one exact version"
                + " with ==, e.g. a==1",
            "inline:1: '--hash=md5:x' uses md5, which pip does not trust — use a sha256 hash (pip"
                + " only accepts sha256, sha384 and sha512; pip hash FILE prints sha256)",
            "inline:2: 'b' is not pinned — pin the exact version you tested with ==, e.g."
                + " b==<version> (pip freeze shows it)",
            "inline:2: 'b' has no --hash — hashes are required (spec.requirements.requireHashes is"
                + " true): add --hash=sha256:<digest> for each of its files, e.g. with pip-compile"
                + " --generate-hashes",
            "inline:3: 'A==1' duplicates inline:1 ('a>=1') — list each package once (names are"
                + " compared after PEP 503 normalisation: a)",
            "inline:3: 'A==1' has no --hash — hashes are required (spec.requirements.requireHashes"
                + " is true): add --hash=sha256:<digest> for each of its files, e.g. with"
                + " pip-compile --generate-hashes");
  }

  @Test
  void problemsAreSortedByFileThenLine() {
    ParsedRequirements parsed =
        new ParsedRequirements(
            List.of(),
            List.of(),
            List.of(
                new Problem("b.txt", 2, "x", "w", "f"),
                new Problem("a.txt", 10, "x", "w", "f"),
                new Problem("b.txt", 1, "x", "w", "f"),
                new Problem("a.txt", 9, "x", "w", "f")),
            List.of());
    assertThat(PinPolicy.check(parsed, false))
        .extracting(Problem::location)
        .containsExactly("a.txt:9", "a.txt:10", "b.txt:1", "b.txt:2");
  }

  @Test
  void problemToStringAndQuoting() {
    Problem p =
        new Problem(
            "requirements/prod.txt",
            12,
            "django>=5.2",
            "'django>=5.2' is not pinned",
            "pin an exact version with ==, e.g. django==5.2.17");
    assertThat(p)
        .hasToString(
            "requirements/prod.txt:12: 'django>=5.2' is not pinned — pin an exact version with =="
                + ", e.g. django==5.2.17");
    assertThat(Problem.quote("a\tb\u0000c")).isEqualTo("'a b\\u0000c'");
    assertThat(Problem.quote("x".repeat(500))).hasSize(203).endsWith("\u2026'");
  }
}
