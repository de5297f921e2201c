package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver.ResolvedRef;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * A ref to a commit, as {@code git rev-parse} would name it on the remote.
 *
 * <p>A full 40-hex SHA is returned as is (lower case) without any network access. Anything else is
 * looked up in the remote's advertised refs ({@code git ls-remote}) in git's own "dwim" order: the
 * name as a full ref ({@code HEAD}, {@code refs/heads/x}), then {@code refs/<name>}, {@code
 * refs/tags/<name>}, {@code refs/heads/<name>}. So when a tag and a branch share a name the tag
 * wins, as in git (which warns "refname is ambiguous"); the others are reported in {@link
 * ResolvedRef#ambiguousWith()}. Annotated tags resolve to the commit they peel to ({@code ^{}}). An
 * abbreviated SHA (4–39 hex digits) that names no ref is matched against the advertised tips, then
 * against the history of all branches and tags (fetched into the cache).
 */
final class RefResolver {
  private static final Pattern SHORT_SHA = Pattern.compile("[0-9a-fA-F]{4,39}");

  private final GitRemote remote;
  private final CommitCache cache;

  RefResolver(GitRemote remote, CommitCache cache) {
    this.remote = remote;
    this.cache = cache;
  }

  /**
   * @throws SourceException NOT_FOUND (unknown ref, ambiguous abbreviation), UNREACHABLE,
   *     UNAUTHORIZED, INVALID, UNSUPPORTED
   */
  ResolvedRef resolve(String url, String ref, GitCredentials credentials) {
    remote.checkUrl(url, credentials);
    String name = ref == null ? "" : ref.strip();
    if (name.isEmpty()) {
      throw new SourceException(SourceException.Kind.INVALID, "no git ref given");
    }
    if (CommitCache.FULL_SHA.matcher(name).matches()) {
      return new ResolvedRef(name.toLowerCase(Locale.ROOT), null, List.of());
    }
    Map<String, Ref> refs = remote.lsRemote(url, credentials);
    List<String> candidates = new ArrayList<>();
    candidates.add(name);
    if (!name.startsWith("refs/")) {
      candidates.add("refs/" + name);
      candidates.add(Constants.R_TAGS + name);
      candidates.add(Constants.R_HEADS + name);
    }
    List<String> matched = candidates.stream().filter(refs::containsKey).distinct().toList();
    if (!matched.isEmpty()) {
      ObjectId id = target(refs.get(matched.get(0)));
      if (id == null) {
        throw new SourceException(
            SourceException.Kind.NOT_FOUND,
            "ref '" + name + "' in " + GitUrls.mask(url) + " points to nothing (unborn branch)");
      }
      return new ResolvedRef(id.name(), matched.get(0), matched.subList(1, matched.size()));
    }
    boolean abbreviation = SHORT_SHA.matcher(name).matches();
    if (abbreviation) {
      String commit = abbreviated(url, name.toLowerCase(Locale.ROOT), refs, credentials);
      if (commit != null) {
        return new ResolvedRef(commit, null, List.of());
      }
    }
    throw new SourceException(
        SourceException.Kind.NOT_FOUND,
        "ref '"
            + name
            + "' not found in "
            + GitUrls.mask(url)
            + (abbreviation
                ? " (no branch or tag by that name, and no commit SHA starting with it)"
                : "")
            + "; "
            + available(refs));
  }

  /**
   * What a ref points to: servers peel annotated tags in the advertisement ({@code ^{}}); no peeled
   * id is a branch or a lightweight tag.
   */
  private static ObjectId target(Ref r) {
    return r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId();
  }

  /** The commit {@code abbrev} starts, among the tips first, else in the history; null: none. */
  private String abbreviated(
      String url, String abbrev, Map<String, Ref> refs, GitCredentials credentials) {
    Set<String> tips = new HashSet<>();
    for (Ref r : refs.values()) {
      ObjectId id = target(r);
      if (id != null && id.name().startsWith(abbrev)) {
        tips.add(id.name());
      }
    }
    List<String> found =
        tips.isEmpty() ? cache.commitsStartingWith(url, abbrev, credentials) : List.copyOf(tips);
    if (found.size() > 1) {
      throw new SourceException(
          SourceException.Kind.NOT_FOUND,
          "abbreviated commit '"
              + abbrev
              + "' is ambiguous in "
              + GitUrls.mask(url)
              + "; give more digits or the full 40-hex SHA");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** "available: main, dev, v1.0, … (12 refs)" — branches first, then tags, newest names first. */
  private static String available(Map<String, Ref> refs) {
    List<String> heads = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (String n : refs.keySet()) {
      if (n.startsWith(Constants.R_HEADS)) {
        heads.add(n.substring(Constants.R_HEADS.length()));
      } else if (n.startsWith(Constants.R_TAGS)) {
        tags.add(n.substring(Constants.R_TAGS.length()));
      }
    }
    if (heads.isEmpty() && tags.isEmpty()) {
      return "the repository has no branches or tags";
    }
    heads.sort(null);
    tags.sort(Comparator.reverseOrder());
    List<String> all = new ArrayList<>(heads);
    tags.forEach(t -> all.add("tag " + t));
    int shown = Math.min(10, all.size());
    return "available: "
        + String.join(", ", all.subList(0, shown))
        + (all.size() > shown ? ", … (" + all.size() + " branches and tags)" : "");
  }
}
