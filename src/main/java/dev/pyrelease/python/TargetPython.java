package dev.pyrelease.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The interpreter a release is built for: what markers are evaluated against and which wheel tags
 * can be installed. Only CPython on Linux is modelled, because that is what release images run.
 *
 * @param pythonFullVersion the interpreter version, e.g. 3.11.2
 * @param machine {@code platform.machine()}, e.g. x86_64 or aarch64
 * @param libc which C library the base image has
 * @param libcMajor its major version (2 for glibc 2.36, 1 for musl 1.2)
 * @param libcMinor its minor version (36 for glibc 2.36, 2 for musl 1.2)
 */
public record TargetPython(
    Version pythonFullVersion, String machine, Libc libc, int libcMajor, int libcMinor) {

  /** The C library, which decides between manylinux and musllinux wheels. */
  public enum Libc {
    GLIBC,
    MUSL
  }

  public TargetPython {
    Objects.requireNonNull(pythonFullVersion, "pythonFullVersion");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(libc, "libc");
    if (pythonFullVersion.release().size() < 2
        || pythonFullVersion.epoch().signum() != 0
        || pythonFullVersion.hasLocal()
        || !pythonFullVersion.release().get(0).equals(BigInteger.valueOf(3))
        || pythonFullVersion.release().get(1).compareTo(BigInteger.valueOf(99)) > 0) {
      throw new PythonSyntaxException(
          "invalid target Python " + pythonFullVersion + ": expected 3.X or 3.X.Y");
    }
    if (libcMajor < 0 || libcMinor < 0) {
      throw new IllegalArgumentException("libc version must not be negative");
    }
  }

  /**
   * CPython {@code version} ("3.11" or "3.11.2"; "3.11" means 3.11.0) on Linux x86_64 with glibc
   * 2.36, i.e. the official Debian bookworm based python images.
   */
  public static TargetPython linux(String version) {
    Version v = Version.parse(version);
    if (v.release().size() == 2) {
      // 3.11 means 3.11.0; keep any suffix: 3.14rc1 means 3.14.0rc1
      String base = v.baseVersion().toString();
      v = Version.parse(base + ".0" + v.toString().substring(base.length()));
    }
    return new TargetPython(v, "x86_64", Libc.GLIBC, 2, 36);
  }

  public TargetPython withMachine(String newMachine) {
    return new TargetPython(pythonFullVersion, newMachine, libc, libcMajor, libcMinor);
  }

  public TargetPython withGlibc(int major, int minor) {
    return new TargetPython(pythonFullVersion, machine, Libc.GLIBC, major, minor);
  }

  /** E.g. {@code withMusl(1, 2)} for Alpine based images. */
  public TargetPython withMusl(int major, int minor) {
    return new TargetPython(pythonFullVersion, machine, Libc.MUSL, major, minor);
  }

  /** "3.11" */
  public String pythonVersion() {
    return pythonFullVersion.release().get(0) + "." + minor();
  }

  int minor() {
    return pythonFullVersion.release().get(1).intValue();
  }

  /**
   * The PEP 508 marker variables. The kernel of the machine that will run the image is unknown, so
   * platform_release and platform_version are empty strings.
   */
  public Map<String, String> markerEnvironment() {
    String full = pythonFullVersion.toString();
    return Map.ofEntries(
        Map.entry("python_version", pythonVersion()),
        Map.entry("python_full_version", full),
        Map.entry("implementation_name", "cpython"),
        Map.entry("implementation_version", full),
        Map.entry("platform_python_implementation", "CPython"),
        Map.entry("sys_platform", "linux"),
        Map.entry("platform_system", "Linux"),
        Map.entry("platform_machine", machine),
        Map.entry("platform_release", ""),
        Map.entry("platform_version", ""),
        Map.entry("os_name", "posix"));
  }

  /** The wheel tags this interpreter installs, most preferred first (pip's order). */
  public List<WheelTag> supportedTags() {
    return SupportedTags.of(this);
  }

  /** Platform tags, most specific first: manylinux/musllinux newest first, then linux_ARCH. */
  List<String> platforms() {
    List<String> platforms = new ArrayList<>();
    if (libc == Libc.GLIBC) {
      platforms.addAll(SupportedTags.manylinux(machine, libcMajor, libcMinor));
    } else {
      for (int m = libcMinor; m >= 0; m--) {
        platforms.add("musllinux_" + libcMajor + "_" + m + "_" + machine);
      }
    }
    platforms.add("linux_" + machine);
    return platforms;
  }
}
