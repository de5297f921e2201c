package dev.pyrelease.validate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The release name becomes the Service name and the prefix of Deployment and Job names ({@code
 * <name>-r<N>}, {@code <name>-r<N>-build}), so it must be a DNS-1035 label short enough to leave
 * room for those suffixes within 63 characters.
 */
public final class NameRules {
  public static final int MAX_LENGTH = 40;
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private NameRules() {}

  /** Why the name is unusable, or empty when it is fine. */
  public static Optional<String> check(String name) {
    if (name.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    if (!DNS_1035.matcher(name).matches()) {
      return Optional.of("is not a DNS-1035 label");
    }
    return Optional.empty();
  }
}
