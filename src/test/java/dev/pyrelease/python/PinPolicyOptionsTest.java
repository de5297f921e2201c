package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pip options in a release's requirements: {@code --require-hashes} is honoured, every option that
 * would change where packages come from or how they are built is refused at its line, with the fix
 * (the build used to ignore some of them silently and fail on others naming the wrong package).
 */
class PinPolicyOptionsTest {
  static final String H = "sha256:" + "a".repeat(64);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--index-url https://other/simple/",
        "-i https://other/simple/",
        "--extra-index-url=https://token@other/simple/",
        "--find-links ./wheels",
        "-f ./wheels",
        "--trusted-host other",
        "--no-index",
        "--pre",
        "--no-binary :all:",
        "--only-binary lxml",
        "--prefer-binary",
        "--use-feature truststore"
      })
  void aFileLevelOptionIsRefusedAtItsLine(String option) {
    ParsedRequirements p =
        RequirementsFile.parseInline("django==5.2.17\n" + option + "\n", "requirements.txt");
    List<Problem> problems = PinPolicy.check(p, false);
    assertThat(problems)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.location()).isEqualTo("requirements.txt:2");
              assertThat(x.what()).contains("not allowed in a release's requirements");
              assertThat(x.fix()).startsWith("remove it");
              assertThat(x.toString()).doesNotContain("token@");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--global-option build_ext",
        "--config-settings=--build-option=--static",
      })
  void aPerRequirementBuildOptionIsRefused(String option) {
    ParsedRequirements p =
        RequirementsFile.parseInline("lxml==6.1.3 " + option + "\n", "requirements.txt");
    assertThat(PinPolicy.check(p, false))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.location()).isEqualTo("requirements.txt:1");
              assertThat(x.what()).contains("changes how lxml is built");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"--require-hashes"})
  void requireHashesIsHonoured(String option) {
    ParsedRequirements p =
        RequirementsFile.parseInline(
            option + "\ndjango==5.2.17 --hash=" + H + "\n", "requirements.txt");
    assertThat(PinPolicy.check(p, false)).isEmpty();
    assertThat(p.requiresHashes()).isTrue();
  }
}
