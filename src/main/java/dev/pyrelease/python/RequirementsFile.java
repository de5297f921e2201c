package dev.pyrelease.python;

import java.nio.file.Path;

/**
 * Reads pip requirements files: comments, {@code \} continuations, per-requirement options ({@code
 * --hash}, {@code --config-settings}, {@code --global-option}), file-level options, and {@code
 * -r}/{@code -c} includes confined to the source tree.
 *
 * <p>Reading never throws for any file content or file system state: everything that is wrong
 * becomes a {@link Problem} in the result. Whether the requirements are acceptable for a release
 * (pins, hashes, duplicates) is decided by {@link PinPolicy}.
 *
 * <p>The work is shared out: {@link RequirementsReader} reads the files and follows includes,
 * {@link LineReader} reads each logical line, with {@link RequirementOptions} for its options and
 * {@link DirectReferences} for requirements written as a location.
 */
public final class RequirementsFile {

  /** Largest file read; requirements files are small, this only protects the operator. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /** Deepest {@code -r}/{@code -c} nesting followed. */
  static final int MAX_INCLUDE_DEPTH = 32;

  private RequirementsFile() {}

  /**
   * Reads {@code relativePath} (relative to {@code sourceRoot}) and everything it includes. Problem
   * locations are relative to {@code sourceRoot}, with {@code /} separators.
   */
  public static ParsedRequirements read(Path sourceRoot, String relativePath) {
    return read(sourceRoot == null ? null : FileTree.directory(sourceRoot), relativePath);
  }

  /**
   * Reads {@code relativePath} (relative to the tree's root) and everything it includes, from a
   * checkout or a commit alike. Problem locations are relative to the root, with {@code /}.
   */
  public static ParsedRequirements read(FileTree tree, String relativePath) {
    RequirementsReader reader = new RequirementsReader(tree);
    reader.readTop(relativePath);
    return reader.result();
  }

  /**
   * Parses requirements given as text (e.g. {@code spec.requirements.inline}); problems are
   * reported against {@code displayName}. Includes ({@code -r}, {@code -c}) cannot be resolved here
   * and are reported as problems.
   */
  public static ParsedRequirements parseInline(String text, String displayName) {
    RequirementsReader reader = new RequirementsReader(null);
    String name = displayName == null || displayName.isBlank() ? "<inline>" : displayName;
    reader.parse(new RequirementsSource(name, null, false), text == null ? "" : text);
    return reader.result();
  }
}
