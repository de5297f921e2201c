package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus under {@code requirements/bad/}: single-file cases in {@code cases.txt} and
 * multi-file trees under {@code trees/<case>/src} with the expected problems in {@code
 * trees/<case>/expected.txt}. Every expected problem is compared as its exact {@code toString()}.
 */
class RequirementsCorpusTest {

  static final String INLINE_NAME = "requirements/prod.txt";

  record Case(String name, String input, boolean requireHashes, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Path bad() {
    try {
      return Path.of(
          RequirementsCorpusTest.class
              .getResource("/dev/pyrelease/python/requirements/bad")
              .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> inlineCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    String name = null;
    boolean requireHashes = false;
    StringBuilder input = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(bad().resolve("cases.txt"), StandardCharsets.UTF_8)) {
      if (line.startsWith("=== ")) {
        if (name != null) {
          cases.add(new Case(name, input.toString(), requireHashes, List.copyOf(expected)));
        }
        String[] header = line.substring(4).strip().split("\\s+");
        name = header[0];
        requireHashes = header.length > 1 && header[1].equals("requireHashes");
        input.setLength(0);
        expected.clear();
      } else if (line.startsWith("--> ")) {
        expected.add(line.substring(4));
      } else if (name != null) {
        input.append(line).append('\n');
      }
    }
    if (name != null) {
      cases.add(new Case(name, input.toString(), requireHashes, List.copyOf(expected)));
    }
    return cases;
  }

  static Stream<Arguments> inline() throws IOException {
    return inlineCases().stream().map(Arguments::of);
  }

  static Stream<Arguments> trees() throws IOException {
    try (Stream<Path> dirs = Files.list(bad().resolve("trees"))) {
      return dirs.sorted().map(d -> Arguments.of(d.getFileName().toString())).toList().stream();
    }
  }

  static List<String> actual(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inline")
  void inlineCase(Case c) {
    List<Problem> problems =
        PinPolicy.check(RequirementsFile.parseInline(c.input(), INLINE_NAME), c.requireHashes());
    assertThat(actual(problems)).as(c.name()).containsExactlyElementsOf(c.expected());
    assertThat(problems).as("every bad case reports something").isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trees")
  void treeCase(String name) throws IOException {
    Path dir = bad().resolve("trees").resolve(name);
    String entry = null;
    boolean requireHashes = false;
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8)) {
      if (line.startsWith("entry=")) {
        entry = line.substring(6);
      } else if (line.equals("requireHashes")) {
        requireHashes = true;
      } else if (!line.isBlank()) {
        expected.add(line);
      }
    }
    List<Problem> problems =
        PinPolicy.check(RequirementsFile.read(dir.resolve("src"), entry), requireHashes);
    assertThat(actual(problems)).as(name).containsExactlyElementsOf(expected);
    assertThat(problems).as("every bad case reports something").isNotEmpty();
  }

  @Test
  void corpusHasAtLeastFortyBadInputs() throws IOException {
    long total = inlineCases().size() + trees().count();
    assertThat(total).isGreaterThanOrEqualTo(40);
  }

  @Test
  void everyProblemSaysWhatAndHowToFix() throws IOException {
    List<Problem> all = new ArrayList<>();
    for (Case c : inlineCases()) {
      all.addAll(
          PinPolicy.check(RequirementsFile.parseInline(c.input(), INLINE_NAME), c.requireHashes()));
    }
    assertThat(all)
        .allSatisfy(
            p -> {
              assertThat(p.what()).isNotBlank();
              assertThat(p.fix()).isNotBlank();
              assertThat(p.line()).isPositive();
              assertThat(p.text()).isNotBlank().doesNotContain("s3cret");
              assertThat(p.what()).doesNotContain("s3cret");
              assertThat(p.toString())
                  .isEqualTo(p.file() + ":" + p.line() + ": " + p.what() + " \u2014 " + p.fix());
            });
  }

  /** Prints the actual problems of every case; run by hand to review a new case's output. */
  public static void main(String[] args) throws IOException {
    for (Case c : inlineCases()) {
      System.out.println("=== " + c.name() + (c.requireHashes() ? " requireHashes" : ""));
      System.out.print(c.input());
      PinPolicy.check(RequirementsFile.parseInline(c.input(), INLINE_NAME), c.requireHashes())
          .forEach(p -> System.out.println("--> " + p));
    }
    try (Stream<Path> dirs = Files.list(bad().resolve("trees"))) {
      dirs.sorted()
          .forEach(
              d -> {
                try {
                  String entry = Files.readAllLines(d.resolve("expected.txt")).get(0).substring(6);
                  System.out.println("### " + d.getFileName());
                  PinPolicy.check(RequirementsFile.read(d.resolve("src"), entry), false)
                      .forEach(p -> System.out.println(p));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
