package dev.pyrelease.validate;

import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.IndexSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.api.v1alpha1.RequirementsSpec;
import dev.pyrelease.python.Problem;
import dev.pyrelease.source.GitUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * The rules the schema cannot express: the CEL rules on the API classes (mirrored here because no
 * API server enforces them in tests or in the CLI), and checks of URLs, paths and image references.
 * It works on a release read from a file (with lines) and on one read from the API server (no
 * lines).
 */
public final class SpecValidator {
  // docker reference grammar, simplified: [host[:port]/]path[:tag][@digest]
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?"
              + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$");
  private static final Pattern TAG = Pattern.compile("^[\\w][\\w.-]{0,127}$");
  private static final Pattern DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");

  private final String file;
  private final ToIntFunction<String> lineOf;
  private final List<Problem> problems = new ArrayList<>();

  private SpecValidator(String file, ToIntFunction<String> lineOf) {
    this.file = file;
    this.lineOf = lineOf;
  }

  public static List<Problem> validate(Manifest manifest) {
    return validate(manifest.release(), manifest.file(), manifest::lineOf);
  }

  /** For a release that did not come from a file: problems carry the field path and line 0. */
  public static List<Problem> validate(PythonRelease release, String displayName) {
    return validate(release, displayName, p -> 0);
  }

  static List<Problem> validate(PythonRelease release, String file, ToIntFunction<String> lineOf) {
    SpecValidator v = new SpecValidator(file, lineOf);
    String name = release.getMetadata() == null ? null : release.getMetadata().getName();
    if (name != null) {
      // the API server accepts longer names than the Deployments and Jobs named after it allow
      NameRules.check(name)
          .ifPresent(
              why ->
                  v.add(
                      "metadata.name",
                      "'" + name + "' " + why,
                      "use a lowercase name of letters, digits and '-', starting with a letter, at"
                          + " most "
                          + NameRules.MAX_LENGTH
                          + " characters"));
    }
    v.check(release.getSpec());
    WorkloadRules.check(name, release.getSpec(), v::add);
    return v.problems.stream().sorted(Problem.BY_LOCATION).toList();
  }

  private void check(PythonReleaseSpec spec) {
    if (spec == null) {
      add("spec", "is required", "add a spec");
      return;
    }
    if (spec.getSource() != null) {
      relativePath("spec.source.path", spec.getSource().getPath());
      if (spec.getSource().getGit() != null) {
        String url = spec.getSource().getGit().getUrl();
        noPassword("spec.source.git.url", url, "spec.source.git");
        String urlProblem = url == null ? null : GitUrls.problem(url);
        if (urlProblem != null) {
          add(
              "spec.source.git.url",
              urlProblem,
              "write the clone URL as https://host/team/app.git, ssh://git@host:port/team/app.git"
                  + " or git@host:team/app.git");
        }
        String ref = spec.getSource().getGit().getRef();
        if (ref != null && (ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace))) {
          add(
              "spec.source.git.ref",
              "'" + ref + "' is not a git ref",
              "name a branch, tag or commit");
        }
      }
    }
    checkRequirements(spec.getRequirements());
    checkIndex(spec.getIndex());
    BuildCommandRules.check(spec.getBuild()).forEach(v -> add(v.path(), v.what(), v.fix()));
    if (spec.getImage() != null && spec.getImage().getRepository() != null) {
      String repo = spec.getImage().getRepository();
      if (repo.contains("@") || hasTag(repo)) {
        add(
            "spec.image.repository",
            "'" + repo + "' has a tag or digest",
            "give the repository only (e.g. registry.internal/web/shop); images are referenced by"
                + " digest");
      } else if (!REPOSITORY.matcher(repo).matches()) {
        add(
            "spec.image.repository",
            "'" + repo + "' is not an image repository",
            "use lowercase host/path, e.g. registry.internal/web/shop");
      }
    }
    if (spec.getPython() != null) {
      checkImage("spec.python.baseImage", spec.getPython().getBaseImage());
      checkImage("spec.python.buildImage", spec.getPython().getBuildImage());
    }
    if (spec.getHooks() != null && spec.getHooks().getPreRollout() != null) {
      Set<String> names = new HashSet<>();
      List<Hook> hooks = spec.getHooks().getPreRollout();
      for (int i = 0; i < hooks.size(); i++) {
        String name = hooks.get(i).getName();
        if (name != null && !names.add(name)) {
          add(
              "spec.hooks.preRollout[" + i + "].name",
              "'" + name + "' is used twice",
              "give each hook its own name");
        }
      }
    }
  }

  private void checkImage(String field, String image) {
    if (image != null && !isImageReference(image)) {
      add(
          field,
          "'" + image + "' is not an image reference",
          "use host/path:tag or host/path@sha256:<digest>");
    }
  }

  private void checkRequirements(RequirementsSpec req) {
    if (req == null) {
      return;
    }
    // mirrors the CEL rule on RequirementsSpec
    if ((req.getFile() == null) == (req.getInline() == null)) {
      add(
          "spec.requirements",
          "must set exactly one of file or inline",
          "e.g. requirements: {file: requirements/prod.txt}");
    }
    if (req.getFile() != null) {
      relativePath("spec.requirements.file", req.getFile());
    }
  }

  private void checkIndex(IndexSpec index) {
    if (index == null) {
      return;
    }
    // mirrors the CEL rule on IndexSpec
    if ((index.getUrl() == null) == (index.getFindLinks() == null)) {
      add(
          "spec.index",
          "must set exactly one of url or findLinks",
          "e.g. index: {url: https://pyrepo.internal/simple/}");
    }
    if (index.getUrl() != null) {
      url("spec.index.url", index.getUrl());
    }
    if (index.getFindLinks() != null) {
      if (index.getFindLinks().isEmpty()) {
        add("spec.index.findLinks", "is empty", "list at least one page or directory URL");
      }
      for (int i = 0; i < index.getFindLinks().size(); i++) {
        url("spec.index.findLinks[" + i + "]", index.getFindLinks().get(i));
      }
    }
  }

  private void url(String path, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      add(path, "'" + value + "' is not a URL", "use http://, https:// or file:// URLs");
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!Set.of("http", "https", "file").contains(scheme)) {
      add(
          path,
          "'" + value + "' is not an http(s) or file URL",
          "use e.g. https://pyrepo.internal/simple/");
      return;
    }
    noPassword(path, value, "spec.index");
  }

  private void noPassword(String path, String value, String secretOwner) {
    if (value == null) {
      return;
    }
    try {
      String userInfo = new URI(value).getRawUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        // never echo the URL: it holds a secret
        add(
            path,
            "contains a password",
            "remove the credentials from the URL and put them in a Secret named by "
                + secretOwner
                + ".secretRef");
      }
    } catch (URISyntaxException e) {
      // scp-like git URLs (git@host:path) are not URIs and hold no password
    }
  }

  private void relativePath(String path, String value) {
    if (value == null) {
      return;
    }
    String v = value.replace('\\', '/');
    boolean escapes = false;
    int depth = 0;
    for (String part : v.split("/")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      escapes |= depth < 0;
    }
    if (v.startsWith("/") || escapes) {
      add(
          path,
          "'" + value + "' is outside the repository",
          "give a path relative to the repository root, without leading / or ..");
    }
  }

  private static boolean hasTag(String repo) {
    int slash = repo.lastIndexOf('/');
    return repo.substring(slash + 1).contains(":");
  }

  static boolean isImageReference(String ref) {
    String rest = ref;
    int at = rest.indexOf('@');
    if (at >= 0) {
      if (!DIGEST.matcher(rest.substring(at + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, at);
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      if (!TAG.matcher(rest.substring(colon + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, colon);
    }
    return REPOSITORY.matcher(rest).matches();
  }

  private void add(String path, String what, String fix) {
    problems.add(new Problem(file, lineOf.applyAsInt(path), "", path + " " + what, fix));
  }
}
