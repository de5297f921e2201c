package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tag list of {@link TargetPython#supportedTags()}, in the order pip prefers them. */
final class SupportedTags {
  /** The manylinux names from before PEP 600, each an alias of a glibc version. */
  private static final Map<Integer, String> LEGACY_MANYLINUX =
      Map.of(17, "manylinux2014", 12, "manylinux2010", 5, "manylinux1");

  /** Architectures the old manylinux2010 and manylinux1 policies were defined for. */
  private static final Set<String> LEGACY_X86 = Set.of("x86_64", "i686");

  /** Architectures manylinux2014 was defined for. */
  private static final Set<String> MANYLINUX2014_ARCHS =
      Set.of("x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x");

  private SupportedTags() {}

  static List<WheelTag> of(TargetPython target) {
    List<String> platforms = target.platforms();
    int minor = target.minor();
    String cp = "cp3" + minor;
    List<WheelTag> tags = new ArrayList<>();
    // 1. CPython-specific: own ABI, then the stable ABI, then no ABI; then older stable ABIs
    addAll(tags, cp, cp, platforms);
    addAll(tags, cp, "abi3", platforms);
    addAll(tags, cp, "none", platforms);
    for (int m = minor - 1; m >= 2; m--) {
      addAll(tags, "cp3" + m, "abi3", platforms);
    }
    // 2. generic Python with platform: py3X, py3, py3(X-1) ... py30
    List<String> pyVersions = pyVersions(minor);
    for (String py : pyVersions) {
      addAll(tags, py, "none", platforms);
    }
    // 3. pure Python
    tags.add(new WheelTag(cp, "none", "any"));
    for (String py : pyVersions) {
      tags.add(new WheelTag(py, "none", "any"));
    }
    return List.copyOf(tags);
  }

  private static void addAll(List<WheelTag> tags, String interp, String abi, List<String> plats) {
    for (String platform : plats) {
      tags.add(new WheelTag(interp, abi, platform));
    }
  }

  private static List<String> pyVersions(int minor) {
    List<String> versions = new ArrayList<>();
    versions.add("py3" + minor);
    versions.add("py3");
    for (int m = minor - 1; m >= 0; m--) {
      versions.add("py3" + m);
    }
    return versions;
  }

  /**
   * PEP 600 tags from the given glibc down to the oldest glibc manylinux wheels exist for (2.5 on
   * x86, 2.17 elsewhere), each followed by its legacy alias where one exists for the architecture.
   */
  static List<String> manylinux(String arch, int glibcMajor, int glibcMinor) {
    List<String> platforms = new ArrayList<>();
    if (glibcMajor != 2) {
      return platforms; // every manylinux policy so far is for glibc 2.x
    }
    int oldest = LEGACY_X86.contains(arch) ? 5 : 17;
    for (int m = glibcMinor; m >= oldest; m--) {
      platforms.add("manylinux_2_" + m + "_" + arch);
      String legacy = LEGACY_MANYLINUX.get(m);
      if (legacy != null && legacyApplies(legacy, arch)) {
        platforms.add(legacy + "_" + arch);
      }
    }
    return platforms;
  }

  private static boolean legacyApplies(String legacy, String arch) {
    return legacy.equals("manylinux2014")
        ? MANYLINUX2014_ARCHS.contains(arch)
        : LEGACY_X86.contains(arch);
  }
}
