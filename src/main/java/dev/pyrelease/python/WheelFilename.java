package dev.pyrelease.python;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of a wheel's file name (PEP 427/491): {@code
 * name-version(-build)?-pythontags-abitags-platformtags.whl}, where each tag part may be a
 * '.'-separated set, so one file can carry several tags.
 *
 * @param distribution the name as written in the file name (with '_' for '-')
 * @param version the version
 * @param buildTag the optional build tag (starts with a digit), or null
 * @param tags every tag the file supports, in the order the name lists them
 */
public record WheelFilename(
    String distribution, Version version, String buildTag, Set<WheelTag> tags) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._]+");
  private static final Pattern BUILD = Pattern.compile("[0-9][A-Za-z0-9_]*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]+");

  public WheelFilename {
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(version, "version");
    tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
  }

  /**
   * Parses a file name (no directory part).
   *
   * @throws PythonSyntaxException when it is not a valid wheel file name
   */
  public static WheelFilename parse(String filename) {
    if (filename == null) {
      throw new PythonSyntaxException("invalid wheel file name: none given");
    }
    if (!filename.endsWith(".whl")) {
      throw fail(filename, "it must end in .whl");
    }
    String[] parts = filename.substring(0, filename.length() - 4).split("-", -1);
    if (parts.length != 5 && parts.length != 6) {
      throw fail(
          filename,
          "expected name-version(-build)-python-abi-platform.whl, found "
              + parts.length
              + " parts separated by '-'");
    }
    String name = parts[0];
    if (!NAME.matcher(name).matches() || !PackageName.isValid(name)) {
      throw fail(filename, "invalid distribution name " + PythonSyntaxException.quote(name));
    }
    Version version;
    try {
      version = Version.parse(parts[1]);
    } catch (PythonSyntaxException e) {
      throw new PythonSyntaxException(
          "invalid wheel file name "
              + PythonSyntaxException.quote(filename)
              + ": "
              + e.getMessage(),
          e);
    }
    String build = null;
    if (parts.length == 6) {
      build = parts[2];
      if (!BUILD.matcher(build).matches()) {
        throw fail(
            filename,
            "the build tag "
                + PythonSyntaxException.quote(build)
                + " must start"
                + " with a digit");
      }
    }
    int t = parts.length - 3;
    List<String> interpreters = tagSet(filename, parts[t], "python");
    List<String> abis = tagSet(filename, parts[t + 1], "ABI");
    List<String> platforms = tagSet(filename, parts[t + 2], "platform");
    Set<WheelTag> tags = new LinkedHashSet<>();
    for (String interpreter : interpreters) {
      for (String abi : abis) {
        for (String platform : platforms) {
          tags.add(new WheelTag(interpreter, abi, platform));
        }
      }
    }
    return new WheelFilename(name, version, build, tags);
  }

  private static List<String> tagSet(String filename, String part, String what) {
    List<String> tags = List.of(part.split("\\.", -1));
    for (String tag : tags) {
      if (!TAG.matcher(tag).matches()) {
        throw fail(filename, "invalid " + what + " tag " + PythonSyntaxException.quote(part));
      }
    }
    return tags;
  }

  private static PythonSyntaxException fail(String filename, String why) {
    return new PythonSyntaxException(
        "invalid wheel file name " + PythonSyntaxException.quote(filename) + ": " + why);
  }

  /** The PEP 503 normalised distribution name. */
  public String normalizedName() {
    return PackageName.normalize(distribution);
  }

  /** Whether pip on {@code target} would install this file. */
  public boolean isCompatible(TargetPython target) {
    return priority(target) >= 0;
  }

  /**
   * How much {@code target} prefers this file: the position of its best tag in {@link
   * TargetPython#supportedTags()}, so lower is better; -1 when the file is not compatible at all.
   * Choosing the compatible file with the lowest value is what pip does among files of one version.
   */
  public int priority(TargetPython target) {
    // ranking many files? build one TagPriority and reuse it
    return TagPriority.of(target).rank(this);
  }
}
