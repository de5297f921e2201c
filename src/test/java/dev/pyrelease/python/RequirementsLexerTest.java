package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.python.RequirementsLexer.LogicalLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementsLexerTest {

  private static List<LogicalLine> lex(String s) {
    return RequirementsLexer.lex(s);
  }

  @Test
  void blankLinesAndCommentsAreDropped() {
    assertThat(lex("\n# a comment\n   \n\t# indented comment\ndjango==5.2.17\n"))
        .containsExactly(new LogicalLine(5, "django==5.2.17"));
  }

  @Test
  void trailingCommentIsStrippedButOnlyAfterWhitespace() {
    assertThat(lex("django==5.2.17  # the framework"))
        .containsExactly(new LogicalLine(1, "django==5.2.17"));
    assertThat(lex("django==5.2.17\t#tab comment"))
        .containsExactly(new LogicalLine(1, "django==5.2.17"));
    // no whitespace before '#': part of the text (pip keeps URL fragments)
    assertThat(lex("https://h/x-1.0-py3-none-any.whl#sha256=abc"))
        .containsExactly(new LogicalLine(1, "https://h/x-1.0-py3-none-any.whl#sha256=abc"));
    assertThat(lex("-e git+https://h/r.git#egg=x # note"))
        .containsExactly(new LogicalLine(1, "-e git+https://h/r.git#egg=x"));
  }

  @Test
  void continuationsJoinAndKeepTheStartLine() {
    assertThat(lex("# header\nasgiref==3.8.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"))
        .containsExactly(
            new LogicalLine(2, "asgiref==3.8.1     --hash=sha256:aa     --hash=sha256:bb"));
  }

  @Test
  void aCommentLineEndsAContinuation() {
    assertThat(lex("django==5.2.17 \\\n    # via x\n    --hash=sha256:aa\n"))
        .containsExactly(
            new LogicalLine(1, "django==5.2.17"), new LogicalLine(3, "--hash=sha256:aa"));
  }

  @Test
  void aCommentEndingInBackslashDoesNotContinue() {
    assertThat(lex("# comment \\\ndjango==5.2.17"))
        .containsExactly(new LogicalLine(2, "django==5.2.17"));
  }

  @Test
  void pipCompileViaCommentsAfterTheLastHash() {
    String text =
        "asgiref==3.8.1 \\\n"
            + "    --hash=sha256:3e1e \\\n"
            + "    --hash=sha256:c343\n"
            + "    # via django\n"
            + "django==5.2.17 \\\n"
            + "    --hash=sha256:f04f\n"
            + "    # via -r requirements.in\n";
    assertThat(lex(text))
        .containsExactly(
            new LogicalLine(1, "asgiref==3.8.1     --hash=sha256:3e1e     --hash=sha256:c343"),
            new LogicalLine(5, "django==5.2.17     --hash=sha256:f04f"));
  }

  @Test
  void crlfAndLoneCrLineEndings() {
    assertThat(lex("a==1\r\nb==2 \\\r\n  --hash=sha256:x\r\n\r\nc==3\rd==4"))
        .containsExactly(
            new LogicalLine(1, "a==1"),
            new LogicalLine(2, "b==2   --hash=sha256:x"),
            new LogicalLine(5, "c==3"),
            new LogicalLine(6, "d==4"));
  }

  @Test
  void utf8ByteOrderMarkIsDropped() {
    assertThat(lex("\uFEFFdjango==5.2.17\n")).containsExactly(new LogicalLine(1, "django==5.2.17"));
    assertThat(lex("\uFEFF# comment\n")).isEmpty();
  }

  @Test
  void tabsAreWhitespace() {
    assertThat(lex("\tdjango==5.2.17\t\\\n\t--hash=sha256:aa\t"))
        .containsExactly(new LogicalLine(1, "django==5.2.17\t\t--hash=sha256:aa"));
  }

  @Test
  void trailingBackslashAtEndOfFile() {
    assertThat(lex("django==5.2.17 \\")).containsExactly(new LogicalLine(1, "django==5.2.17"));
    assertThat(lex("a==1\ndjango==5.2.17 \\\n"))
        .containsExactly(new LogicalLine(1, "a==1"), new LogicalLine(2, "django==5.2.17"));
    assertThat(lex("\\")).isEmpty();
  }

  @Test
  void emptyInput() {
    assertThat(lex("")).isEmpty();
    assertThat(lex("\n\n\r\n")).isEmpty();
  }

  @Test
  void physicalLineCount() {
    assertThat(RequirementsLexer.physicalLineCount("")).isZero();
    assertThat(RequirementsLexer.physicalLineCount("a")).isEqualTo(1);
    assertThat(RequirementsLexer.physicalLineCount("a\n")).isEqualTo(1);
    assertThat(RequirementsLexer.physicalLineCount("a\r\nb\rc\n\n")).isEqualTo(4);
  }

  @Test
  void splitsRequirementFromOptionsAtTheFirstDashToken() {
    assertThat(RequirementsLexer.splitArgsAndOptions("django==5.2.17 --hash=sha256:aa"))
        .containsExactly("django==5.2.17", "--hash=sha256:aa");
    assertThat(
            RequirementsLexer.splitArgsAndOptions(
                "psycopg-binary==3.3.6 ; implementation_name != \"pypy\"\t--hash=sha256:aa"))
        .containsExactly(
            "psycopg-binary==3.3.6 ; implementation_name != \"pypy\"", "--hash=sha256:aa");
    assertThat(RequirementsLexer.splitArgsAndOptions("-r base.txt"))
        .containsExactly("", "-r base.txt");
    assertThat(RequirementsLexer.splitArgsAndOptions("django-extensions==3.0"))
        .containsExactly("django-extensions==3.0", "");
  }

  @Test
  void shellSplitQuotes() {
    assertThat(RequirementsLexer.shellSplit("--config-settings 'a=b c' --x=\"d \\\" e\" f\\ g"))
        .containsExactly("--config-settings", "a=b c", "--x=d \" e", "f g");
    assertThat(RequirementsLexer.shellSplit("  ")).isEmpty();
    assertThat(RequirementsLexer.shellSplit("''")).containsExactly("");
    assertThatThrownBy(() -> RequirementsLexer.shellSplit("--x 'open"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequirementsLexer.shellSplit("--x \"open"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
