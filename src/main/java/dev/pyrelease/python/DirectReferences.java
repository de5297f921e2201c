package dev.pyrelease.python;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requirements written as a location instead of a name (pip's VCS references, URLs, local paths and
 * archives), which a release refuses because they are not pinned releases from the index, and the
 * {@code name==version} each fix suggests instead.
 */
final class DirectReferences {

  /** {@code name @ url}: PEP 508's own URL form, left to the requirement parser. */
  private static final Pattern PEP508_URL_FORM =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\s*(\\[[^\\]]*\\])?\\s*@");

  private static final Pattern VCS = Pattern.compile("(?i)(git|hg|svn|bzr)\\+.*");
  private static final Pattern EGG_FRAGMENT = Pattern.compile("[#&]egg=([A-Za-z0-9][\\w.-]*)");
  private static final List<String> ARCHIVE_SUFFIXES =
      List.of(
          ".whl",
          ".zip",
          ".tar.gz",
          ".tgz",
          ".tar.bz2",
          ".tbz",
          ".tar.xz",
          ".txz",
          ".tar",
          ".tar.lz",
          ".tlz",
          ".egg");

  private DirectReferences() {}

  /**
   * The problem with the requirement part {@code args} of the line {@code text} when it is a VCS
   * reference, a URL or a local path (not in PEP 508's {@code name @ url} form); null otherwise.
   */
  static Problem problem(String file, int line, String text, String args) {
    if (PEP508_URL_FORM.matcher(args).lookingAt()) {
      return null;
    }
    String first = args.split("[\\s;]", 2)[0];
    String lower = first.toLowerCase(Locale.ROOT);
    if (VCS.matcher(first).matches()) {
      return new Problem(
          file,
          line,
          text,
          Problem.quote(args) + " is a VCS reference, not a pinned release",
          "publish the package to the index and pin it by version, e.g. " + suggestion(first));
    }
    if (RequirementPaths.hasUrlScheme(first)) {
      return new Problem(
          file,
          line,
          text,
          Problem.quote(args) + " is a URL, not a pinned requirement",
          "upload the distribution to the index and pin it by version, e.g. " + suggestion(first));
    }
    boolean archive = ARCHIVE_SUFFIXES.stream().anyMatch(lower::endsWith);
    if (first.startsWith(".")
        || first.startsWith("~")
        || first.contains("/")
        || first.contains("\\")
        || archive) {
      return new Problem(
          file,
          line,
          text,
          Problem.quote(args) + " is a local path, not a pinned requirement",
          "build a wheel, upload it to the index and pin it by version, e.g. " + suggestion(first));
    }
    return null;
  }

  /** Whether an editable target is fetched (VCS or URL) rather than a local directory. */
  static boolean isRemote(String target) {
    return VCS.matcher(target).matches() || RequirementPaths.hasUrlScheme(target);
  }

  /** {@code name==version} from a wheel or sdist file name or {@code #egg=}, else generic. */
  static String suggestion(String location) {
    Matcher egg = EGG_FRAGMENT.matcher(location);
    if (egg.find()) {
      return egg.group(1) + "==<version>";
    }
    String path = location.replaceAll("[#?].*$", "");
    String base = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    String lower = base.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".whl")) {
      String[] f = base.split("-");
      if (f.length >= 5 && !f[0].isEmpty() && !f[1].isEmpty()) {
        return f[0] + "==" + f[1];
      }
    }
    for (String suffix : ARCHIVE_SUFFIXES) {
      if (lower.endsWith(suffix) && !suffix.equals(".whl")) {
        String stem = base.substring(0, base.length() - suffix.length());
        int dash = stem.lastIndexOf('-');
        if (dash > 0 && dash + 1 < stem.length() && Character.isDigit(stem.charAt(dash + 1))) {
          return stem.substring(0, dash) + "==" + stem.substring(dash + 1);
        }
      }
    }
    return "name==<version>";
  }
}
