package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pyrelease.python.RequirementOptions.Kind;
import dev.pyrelease.python.RequirementOptions.Option;
import dev.pyrelease.python.RequirementOptions.Parsed;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementOptionsTest {

  private static Parsed parse(String... words) {
    return RequirementOptions.parse("r.txt", 3, "the line", List.of(words));
  }

  @Test
  void longOptionsTakeTheirValueAfterEqualsOrAsTheNextWord() {
    Parsed p = parse("--hash=sha256:aa", "--index-url", "https://i/simple");
    assertThat(p.problems()).isEmpty();
    assertThat(p.options())
        .extracting(Option::written, Option::value, Option::verbatim)
        .containsExactly(
            tuple("--hash", "sha256:aa", "--hash=sha256:aa"),
            tuple("--index-url", "https://i/simple", "--index-url https://i/simple"));
  }

  @Test
  void shortOptionsTakeTheirValueAttachedOrSeparate() {
    Parsed p = parse("-rbase.txt", "-c", "constraints.txt");
    assertThat(p.options())
        .extracting(Option::verbatim)
        .containsExactly("-rbase.txt", "-c constraints.txt");
    assertThat(p.options().get(0).spec().kind()).isEqualTo(Kind.REQUIREMENT_FILE);
    assertThat(p.options().get(1).spec().kind()).isEqualTo(Kind.CONSTRAINT_FILE);
  }

  @Test
  void anUnambiguousPrefixNamesTheOptionAsInOptparse() {
    assertThat(RequirementOptions.findLong("--ha").longName()).isEqualTo("--hash");
    assertThat(RequirementOptions.findLong("--pre").longName()).isEqualTo("--pre");
    assertThat(RequirementOptions.findLong("--no")).isNull(); // --no-binary, --no-index
    assertThat(RequirementOptions.findLong("--req")).isNull(); // --requirement, --require-hashes
    assertThat(RequirementOptions.findShort("-x")).isNull();
  }

  @Test
  void wordsThatAreNoOptionsAreLeftOverAndEverythingAfterDoubleDash() {
    Parsed p = parse("--pre", "extra", "-", "--", "--hash=x");
    assertThat(p.options()).extracting(Option::verbatim).containsExactly("--pre");
    assertThat(p.leftovers()).containsExactly("extra", "-", "--hash=x");
  }

  @Test
  void problemsNameTheLineAndTheOptionIsDropped() {
    Parsed p = parse("--pre=yes", "--no-deps", "--hash");
    assertThat(p.options()).isEmpty();
    assertThat(p.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "r.txt:3: '--pre=yes': --pre takes no value — write just --pre",
            "r.txt:3: '--no-deps' is not a requirements-file option — remove it: the build always"
                + " installs with --no-deps",
            "r.txt:3: '--hash' needs a value — write --hash sha256:<digest> on the same line");
    assertThat(p.problems()).allSatisfy(q -> assertThat(q.text()).isEqualTo("the line"));
  }
}
