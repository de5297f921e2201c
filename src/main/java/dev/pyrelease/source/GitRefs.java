package dev.pyrelease.source;

import java.util.regex.Pattern;

/** What a ref's spelling alone says about it. */
public final class GitRefs {
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");

  private GitRefs() {}

  /** A full commit SHA names one commit for ever: it needs no {@code ls-remote}. */
  public static boolean isFullSha(String ref) {
    return ref != null && FULL_SHA.matcher(ref.strip()).matches();
  }
}
