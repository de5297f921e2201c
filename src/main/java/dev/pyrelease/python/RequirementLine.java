package dev.pyrelease.python;

import java.util.List;
import java.util.Objects;

/**
 * One requirement (or constraint) read from a requirements file.
 *
 * @param file the file, relative to the source root with {@code /} separators (or the inline
 *     display name)
 * @param line the physical line (1-based) where the logical line starts
 * @param text the logical line: continuations joined, comments stripped, trimmed
 * @param requirement the parsed PEP 508 requirement (never null)
 * @param hashes the {@code --hash} values in order, as written (normally {@code sha256:<hex>})
 * @param options other per-requirement options ({@code --config-settings}, {@code
 *     --global-option}), verbatim
 */
public record RequirementLine(
    String file,
    int line,
    String text,
    Requirement requirement,
    List<String> hashes,
    List<String> options) {

  public RequirementLine {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(requirement, "requirement");
    hashes = List.copyOf(hashes);
    options = List.copyOf(options);
  }

  /** {@code file:line} of this requirement. */
  public String location() {
    return file + ":" + line;
  }

  /**
   * The requirement part of the line, without options: what a user would call "the requirement".
   */
  public String requirementText() {
    return RequirementsLexer.splitArgsAndOptions(text)[0];
  }
}
