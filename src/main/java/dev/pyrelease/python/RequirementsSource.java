package dev.pyrelease.python;

/**
 * A requirements file being read.
 *
 * @param display its name in problems: relative to the tree's root with {@code /}, or the inline
 *     display name
 * @param real its entry in the tree; null for inline requirements, which cannot include
 * @param constraint whether it was reached through {@code -c}, so that its lines are constraints
 */
record RequirementsSource(String display, FileTree.Entry real, boolean constraint) {}
