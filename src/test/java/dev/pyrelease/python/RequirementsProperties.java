package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Reading requirements never throws, whatever the text, and problems point into the text. */
class RequirementsProperties {

  private static final String HASH =
      "fe386d1c2bff7259ea95929266d12a8cf9a8b5a1c2598402967d8792e7a7c094";

  @Property(tries = 2000)
  void arbitraryTextNeverThrows(@ForAll String text) {
    assertWellBehaved(text);
  }

  @Property(tries = 3000)
  void nearValidLinesNeverThrow(@ForAll("nearValidFiles") String text) {
    assertWellBehaved(text);
  }

  private static void assertWellBehaved(String text) {
    ParsedRequirements parsed = RequirementsFile.parseInline(text, "inline");
    List<Problem> problems = PinPolicy.check(parsed, true);
    int lines = RequirementsLexer.physicalLineCount(text);
    assertThat(problems)
        .allSatisfy(
            p -> {
              assertThat(p.file()).isEqualTo("inline");
              assertThat(p.line()).isBetween(1, Math.max(1, lines));
              assertThat(p.what()).isNotBlank();
              assertThat(p.fix()).isNotBlank();
            });
    assertThat(parsed.requirements())
        .allSatisfy(rl -> assertThat(rl.line()).isBetween(1, Math.max(1, lines)));
  }

  @Provide
  Arbitrary<String> nearValidFiles() {
    Arbitrary<String> fragment =
        Arbitraries.oneOf(
            Arbitraries.of(
                "django",
                "Django",
                "django_extensions",
                "django-extensions",
                "a",
                "_x",
                "x-",
                "psycopg[binary]",
                "celery[redis, sqs]",
                "pkg[",
                "pkg]",
                "foo @ ",
                "@",
                "https://h/x-1.0-py3-none-any.whl",
                "git+https://h/r.git#egg=x",
                "./local",
                "x.tar.gz",
                "/abs",
                "..",
                "==",
                "===",
                ">=",
                "~=",
                "!=",
                "<",
                ">",
                ",",
                "*",
                ".*",
                "5.2.17",
                "5",
                "1.0+local",
                "1!2.0",
                "rc1",
                ".post1",
                ".dev0",
                ";",
                " ; python_version >= \"3.8\"",
                " and ",
                " or ",
                "(",
                ")",
                "'",
                "\"",
                "extra == \"x\"",
                "sys_platform",
                " --hash=sha256:" + HASH,
                " --hash=md5:ab",
                " --hash sha256:",
                " --hash",
                " --config-settings=a=b",
                " --global-option",
                " --index-url",
                "-r ",
                "-c ",
                "-e ",
                "--requirement=",
                "-rbase.txt",
                "--pre",
                "--require-hashes",
                "--frobnicate",
                "--",
                "-",
                "${X}",
                "${",
                "}",
                "$",
                " #",
                "#",
                " # c",
                "\\",
                " \\",
                "\\\n",
                "\n",
                "\r\n",
                "\r",
                "\t",
                " ",
                "\uFEFF",
                "\u0000",
                "\u00e9",
                "\u2028",
                "\uD83D\uDE00"),
            Arbitraries.strings().ofMaxLength(4));
    return fragment.list().ofMaxSize(30).map(l -> String.join("", l));
  }
}
