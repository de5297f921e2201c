package dev.pyrelease.source;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.python.FileTree;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@link GitResolver} with JGit: {@code git ls-remote} for refs, shallow fetches of single commits
 * into a local cache for file reads, and materialising a commit's tree (no {@code .git}) for the
 * build Job's source step.
 *
 * <h2>Resolving a ref ({@link #resolveRef})</h2>
 *
 * A full 40-hex SHA is returned as is (lower case) without any network access. Anything else is
 * looked up in the remote's advertised refs ({@code git ls-remote}) in git's own order ({@code git
 * rev-parse} "dwim"): the name as a full ref ({@code HEAD}, {@code refs/heads/x}), then {@code
 * refs/<name>}, {@code refs/tags/<name>}, {@code refs/heads/<name>}. So when a tag and a branch
 * share a name the tag wins, as in git (which warns "refname is ambiguous"); the others are
 * reported in {@link ResolvedRef#ambiguousWith()}. Annotated tags resolve to the commit they peel
 * to ({@code ^{}}). An abbreviated SHA (4–39 hex digits) that names no ref is matched against the
 * advertised tips, then against the history of all branches and tags (fetched into the cache).
 *
 * <h2>Reading files ({@link #readFile}, {@link #tree})</h2>
 *
 * The commit is fetched with depth 1 into a bare repository per URL under the cache directory
 * ({@code <cache>/<hash of the masked URL>.git}); later reads of the same commit need no network.
 * Servers differ in which objects they serve: GitHub, GitLab and {@code git} with {@code
 * uploadpack.allowReachableSHA1InWant} (and JGit over smart HTTP) serve any reachable commit, but
 * {@code git upload-pack} and JGit over {@code file://}, {@code ssh://} and {@code git://} by
 * default only serve advertised ref tips. So the fetch falls back, in order: (1) the commit by SHA;
 * (2) the refs whose tip (or peeled tag) is the commit — the usual case, since the commit was just
 * resolved from a ref; (3) the full history of all branches and tags. Paths are followed inside the
 * tree, symlinks included (confined to the tree); {@code ..} and absolute paths are refused.
 *
 * <h2>Checkout ({@link #checkout}, {@link #materialize})</h2>
 *
 * Writes the commit's files into a directory: regular files 644, executables 755, directories 755.
 * <b>Symlinks are kept as symlinks</b> when they resolve inside the tree (or dangle inside it); a
 * symlink that points outside the tree (absolute, or climbing out with {@code ..}) fails the
 * checkout, since following it would read the build machine's files. Submodules become empty
 * directories (as in {@code git clone} without {@code --recurse-submodules}). No {@code .git}.
 *
 * <h2>Transports</h2>
 *
 * {@code file://} (and plain local paths, unless disabled), {@code https://}/{@code http://} with
 * basic auth ({@link GitCredentials#basic}, or {@code user:token@} in the URL). {@code ssh://} and
 * {@code git@host:path} need a JGit SSH transport on the class path ({@code
 * org.eclipse.jgit.ssh.apache}), which this build does not bundle: such URLs fail with kind
 * UNSUPPORTED.
 *
 * <p>Thread-safe: fetches into one cache repository are serialised; reads run in parallel.
 * Credentials never appear in messages: URLs are masked and the password scrubbed from causes.
 */
public final class JGitResolver implements GitResolver, AutoCloseable {
  /** Default network timeout (per connection phase, as JGit's {@code setTimeout}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Largest file {@link #readFile} returns. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");
  private static final Pattern SHORT_SHA = Pattern.compile("[0-9a-fA-F]{4,39}");
  private static final String PIN_PREFIX = "refs/pyrelease/c/";
  private static final Pattern AUTH_FAILURE =
      Pattern.compile(
          "(?i)not authorized|authentication is required|auth fail|authentication failed"
              + "|not permitted|\\b401\\b|\\b403\\b|forbidden|unauthorized|no credentialsprovider");

  private final Path cacheDir;
  private final int timeoutSeconds;
  private final boolean allowLocal;
  private final Map<String, Repository> repos = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** How the last commit was fetched ("sha", "ref NAME", "history"), for tests and logs. */
  volatile String lastFetch;

  /** The commit a ref resolved to, and where it came from. */
  public record ResolvedRef(String commit, String refName, List<String> ambiguousWith) {}

  /** What {@link #checkoutTree} wrote. */
  public record Checkout(Path root, int files, int links, List<String> submodules) {}

  /** A resolver caching fetched commits under {@code cacheDir}; local repositories allowed. */
  public JGitResolver(Path cacheDir) {
    this(cacheDir, DEFAULT_TIMEOUT, true);
  }

  /**
   * @param cacheDir where the per-URL bare repositories live (created when missing)
   * @param timeout network timeout, at least one second
   * @param allowLocalRepositories whether {@code file://} URLs and local paths are accepted; an
   *     operator serving many users may turn them off so that a spec cannot read the operator pod's
   *     file system
   */
  public JGitResolver(Path cacheDir, Duration timeout, boolean allowLocalRepositories) {
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    this.allowLocal = allowLocalRepositories;
  }

  public Path cacheDir() {
    return cacheDir;
  }

  // ------------------------------------------------------------------ GitResolver (operator API)

  @Override
  public String resolve(GitSource git, GitResolver.Credentials credentials) throws GitException {
    try {
      return resolve(git.getUrl(), git.getRef(), toGitCredentials(credentials));
    } catch (SourceException e) {
      throw toGitException(e);
    }
  }

  @Override
  public FileTree tree(String url, String commit, GitResolver.Credentials credentials)
      throws GitException {
    try {
      return tree(url, commit, toGitCredentials(credentials));
    } catch (SourceException e) {
      throw toGitException(e);
    }
  }

  /**
   * The commit's tree, fetched into the cache when missing, for reading files without a checkout
   * (valid while this resolver is open).
   *
   * @throws SourceException NOT_FOUND (no such commit), UNREACHABLE, UNAUTHORIZED, INVALID
   */
  public FileTree tree(String url, String commit, GitCredentials credentials) {
    CommitTree ct = commitTree(url, commit, credentials);
    return new CommitFileTree(ct.repo, ct.tree, MAX_FILE_BYTES);
  }

  /**
   * {@link GitResolver.Credentials} as {@link GitCredentials}: none, or basic (a password without a
   * username — a bare token — is sent with the username {@code git}).
   */
  public static GitCredentials toGitCredentials(GitResolver.Credentials c) {
    if (c == null || !c.present()) {
      return GitCredentials.none();
    }
    String user = c.username() == null || c.username().isEmpty() ? "git" : c.username();
    return GitCredentials.basic(user, c.password() == null ? "" : c.password());
  }

  /**
   * The {@link GitResolver} exception for a {@link SourceException} (kept as the cause, so callers
   * can read {@link SourceException#kind()}, e.g. UNAUTHORIZED for the condition reason).
   */
  static GitException toGitException(SourceException e) {
    GitException g =
        switch (e.kind()) {
          case NOT_FOUND -> new UnknownRefException(e.getMessage());
          case PATH_NOT_FOUND -> new MissingFileException(e.getMessage());
          default -> new GitException(e.getMessage(), e);
        };
    if (g.getCause() == null) {
      g.initCause(e);
    }
    return g;
  }

  // ------------------------------------------------------------------ resolve

  /**
   * The commit {@code ref} names on {@code url}.
   *
   * @throws SourceException NOT_FOUND (unknown ref), UNREACHABLE, UNAUTHORIZED, INVALID,
   *     UNSUPPORTED
   */
  public String resolve(String url, String ref, GitCredentials credentials) {
    return resolveRef(url, ref, credentials).commit();
  }

  /** {@link #resolve}, with the ref that matched. */
  public ResolvedRef resolveRef(String url, String ref, GitCredentials credentials) {
    checkUrl(url, credentials);
    String name = ref == null ? "" : ref.strip();
    if (name.isEmpty()) {
      throw new SourceException(SourceException.Kind.INVALID, "no git ref given");
    }
    if (FULL_SHA.matcher(name).matches()) {
      return new ResolvedRef(name.toLowerCase(Locale.ROOT), null, List.of());
    }
    Map<String, Ref> refs = lsRemote(url, credentials);
    List<String> candidates = new ArrayList<>();
    candidates.add(name);
    if (!name.startsWith("refs/")) {
      candidates.add("refs/" + name);
      candidates.add(Constants.R_TAGS + name);
      candidates.add(Constants.R_HEADS + name);
    }
    List<String> matched = candidates.stream().filter(refs::containsKey).distinct().toList();
    if (!matched.isEmpty()) {
      Ref r = refs.get(matched.get(0));
      ObjectId id = r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId();
      if (id == null) {
        throw new SourceException(
            SourceException.Kind.NOT_FOUND,
            "ref '" + name + "' in " + GitUrls.mask(url) + " points to nothing (unborn branch)");
      }
      // servers peel annotated tags in the advertisement (^{}); no peeled id: a lightweight tag
      String commit = id.name();
      return new ResolvedRef(commit, matched.get(0), matched.subList(1, matched.size()));
    }
    if (SHORT_SHA.matcher(name).matches()) {
      String commit = resolveAbbreviated(url, name.toLowerCase(Locale.ROOT), refs, credentials);
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
            + (SHORT_SHA.matcher(name).matches()
                ? " (no branch or tag by that name, and no commit SHA starting with it)"
                : "")
            + "; "
            + available(refs));
  }

  /** "available: main, dev, v1.0, … (12 refs)" — branches first, then tags, newest names last. */
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
    List<String> all = new ArrayList<>();
    heads.forEach(h -> all.add(h));
    tags.forEach(t -> all.add("tag " + t));
    int shown = Math.min(10, all.size());
    return "available: "
        + String.join(", ", all.subList(0, shown))
        + (all.size() > shown ? ", … (" + all.size() + " branches and tags)" : "");
  }

  private Map<String, Ref> lsRemote(String url, GitCredentials credentials) {
    try {
      var cmd = Git.lsRemoteRepository().setRemote(url).setHeads(false).setTags(false);
      configure(cmd, credentials);
      return new TreeMap<>(cmd.callAsMap());
    } catch (GitAPIException | RuntimeException e) {
      throw classify(e, "cannot list refs of", url, credentials);
    }
  }

  private String resolveAbbreviated(
      String url, String abbrev, Map<String, Ref> refs, GitCredentials credentials) {
    Set<String> tips = new HashSet<>();
    for (Ref r : refs.values()) {
      ObjectId id = r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId();
      if (id != null && id.name().startsWith(abbrev)) {
        tips.add(id.name());
      }
    }
    if (tips.size() == 1) {
      return tips.iterator().next();
    }
    if (tips.size() > 1) {
      throw ambiguous(abbrev, url);
    }
    String key = GitUrls.cacheKey(url);
    ReentrantLock lock = lock(key);
    lock.lock();
    try {
      Repository repo = repository(key);
      String found = abbreviatedInCache(repo, abbrev, url);
      if (found != null) {
        return found;
      }
      fetchAllHistory(repo, url, credentials);
      return abbreviatedInCache(repo, abbrev, url);
    } finally {
      lock.unlock();
    }
  }

  private static String abbreviatedInCache(Repository repo, String abbrev, String url) {
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      Collection<ObjectId> ids = reader.resolve(AbbreviatedObjectId.fromString(abbrev));
      List<String> commits = new ArrayList<>();
      for (ObjectId id : ids) {
        RevObject o = walk.parseAny(id);
        if (o instanceof RevCommit) {
          commits.add(id.name());
        }
      }
      if (commits.size() > 1) {
        throw ambiguous(abbrev, url);
      }
      return commits.isEmpty() ? null : commits.get(0);
    } catch (IOException e) {
      return null;
    }
  }

  private static SourceException ambiguous(String abbrev, String url) {
    return new SourceException(
        SourceException.Kind.NOT_FOUND,
        "abbreviated commit '"
            + abbrev
            + "' is ambiguous in "
            + GitUrls.mask(url)
            + "; give more digits or the full 40-hex SHA");
  }

  // ------------------------------------------------------------------ read

  /**
   * The file at {@code path} in {@code commit}, decoded as UTF-8 (malformed bytes replaced; use
   * {@link #readBytes} or {@link #tree} for exact bytes).
   *
   * @throws SourceException PATH_NOT_FOUND (no such file, a directory, a submodule), NOT_FOUND (no
   *     such commit), INVALID (absolute path, {@code ..}, link out of the tree), UNREACHABLE,
   *     UNAUTHORIZED
   */
  public String readFile(String url, String commit, String path, GitCredentials credentials) {
    return new String(readBytes(url, commit, path, credentials), StandardCharsets.UTF_8);
  }

  /** {@link #readFile} as bytes. */
  public byte[] readBytes(String url, String commit, String path, GitCredentials credentials) {
    List<String> components = TreePaths.components(path);
    CommitTree ct = commitTree(url, commit, credentials);
    try (ObjectReader reader = ct.repo.newObjectReader()) {
      TreePaths.Lookup lookup = CommitFileTree.lookup(reader, ct.tree);
      TreePaths.Resolution r = TreePaths.resolve(lookup, components);
      TreePaths.Entry e = fileOrThrow(r, path, ct.commit, url);
      return readBlob(reader, e, path);
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException(
          SourceException.Kind.IO,
          "cannot read " + path + " at " + ct.commit + " from the git cache: " + e.getMessage(),
          e);
    }
  }

  private static TreePaths.Entry fileOrThrow(
      TreePaths.Resolution r, String path, String commit, String url) {
    String where = " at commit " + commit.substring(0, 12) + " of " + GitUrls.mask(url);
    return switch (r.outcome()) {
      case FOUND ->
          switch (r.entry().type()) {
            case FILE, EXECUTABLE -> r.entry();
            case DIRECTORY ->
                throw new SourceException(
                    SourceException.Kind.PATH_NOT_FOUND,
                    "'" + path + "' is a directory, not a file" + where);
            case SUBMODULE ->
                throw new SourceException(
                    SourceException.Kind.PATH_NOT_FOUND,
                    "'" + path + "' is a submodule, not a file" + where);
            case LINK -> throw new IllegalStateException("unresolved link");
          };
      case MISSING ->
          throw new SourceException(
              SourceException.Kind.PATH_NOT_FOUND,
              "no file '"
                  + path
                  + "'"
                  + where
                  + (r.path().equals(path) ? "" : " ('" + r.path() + "' does not exist)"));
      case NOT_A_DIRECTORY ->
          throw new SourceException(
              SourceException.Kind.PATH_NOT_FOUND,
              "no file '" + path + "'" + where + " ('" + r.path() + "' is not a directory)");
      case ESCAPES ->
          throw new SourceException(
              SourceException.Kind.INVALID,
              "'" + path + "' is a symlink that points outside the repository" + where);
      case TOO_MANY_LINKS ->
          throw new SourceException(
              SourceException.Kind.INVALID,
              "'" + path + "' goes through too many symlinks (a loop?)" + where);
    };
  }

  private static byte[] readBlob(ObjectReader reader, TreePaths.Entry e, String path)
      throws IOException {
    ObjectId id = ObjectId.fromString(e.objectId());
    long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
    if (size > MAX_FILE_BYTES) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "'" + path + "' is " + size + " bytes, more than the " + MAX_FILE_BYTES + " read");
    }
    return reader.open(id, Constants.OBJ_BLOB).getCachedBytes((int) MAX_FILE_BYTES);
  }

  // ------------------------------------------------------------------ materialise

  /**
   * Writes the commit's whole tree into {@code target} (emptied first; created when missing) — the
   * build Job's source step into {@code /workspace/src}. See the class comment for modes and links.
   *
   * @return {@code target}
   */
  public Path checkout(String url, String commit, Path target, GitCredentials credentials) {
    return checkoutTree(url, commit, "", target, credentials).root();
  }

  /**
   * Writes the files below {@code subdir} of the commit into {@code target}, at their repository
   * paths ({@code target/<subdir>/…}); links in it are kept (see the class comment). {@code target}
   * is emptied first.
   *
   * @return the directory in {@code target} that holds {@code subdir}
   */
  public Path materialize(
      String url, String commit, String subdir, Path target, GitCredentials credentials) {
    return checkoutTree(url, commit, subdir, target, credentials).root();
  }

  /** {@link #materialize}, with counts. */
  public Checkout checkoutTree(
      String url, String commit, String subdir, Path target, GitCredentials credentials) {
    List<String> sub = TreePaths.components(subdir == null ? "" : subdir);
    CommitTree ct = commitTree(url, commit, credentials);
    try (ObjectReader reader = ct.repo.newObjectReader()) {
      Map<String, TreePaths.Entry> index = index(reader, ct.tree);
      TreePaths.Lookup lookup = index::get;
      TreePaths.Resolution r = TreePaths.resolve(lookup, sub);
      String subPath = String.join("/", sub);
      if (r.outcome() != TreePaths.Outcome.FOUND || r.entry().type() != TreePaths.Type.DIRECTORY) {
        if (r.outcome() == TreePaths.Outcome.ESCAPES
            || r.outcome() == TreePaths.Outcome.TOO_MANY_LINKS) {
          fileOrThrow(r, subPath, ct.commit, url);
        }
        throw new SourceException(
            SourceException.Kind.PATH_NOT_FOUND,
            "no directory '"
                + subPath
                + "' at commit "
                + ct.commit.substring(0, 12)
                + " of "
                + GitUrls.mask(url));
      }
      String root = r.path();
      String prefix = root.isEmpty() ? "" : root + "/";
      clear(target);
      Files.createDirectories(target);
      int files = 0;
      List<String[]> links = new ArrayList<>();
      List<String> submodules = new ArrayList<>();
      for (var en : index.entrySet()) {
        String p = en.getKey();
        if (!p.startsWith(prefix) || p.isEmpty()) {
          continue;
        }
        TreePaths.Entry e = en.getValue();
        checkName(p);
        Path out = target.resolve(p);
        switch (e.type()) {
          case DIRECTORY -> mkdirs(out);
          case FILE, EXECUTABLE -> {
            mkdirs(out.getParent());
            writeBlob(reader, e, out);
            files++;
          }
          case SUBMODULE -> {
            mkdirs(out);
            submodules.add(p);
          }
          case LINK -> {
            TreePaths.Resolution lr = TreePaths.resolve(lookup, List.of(p.split("/")));
            if (lr.outcome() == TreePaths.Outcome.ESCAPES
                || lr.outcome() == TreePaths.Outcome.TOO_MANY_LINKS) {
              fileOrThrow(lr, p, ct.commit, url);
            }
            links.add(new String[] {p, e.linkTarget()});
          }
        }
      }
      // links last, so that no file is ever written through one
      for (String[] l : links) {
        Path out = target.resolve(l[0]);
        mkdirs(out.getParent());
        Files.createSymbolicLink(out, FileSystems.getDefault().getPath(l[1]));
      }
      Path rootDir = root.isEmpty() ? target : target.resolve(root);
      if (sub.size() > 0 && !String.join("/", sub).equals(root)) {
        // subdir reached through a link: write the link chain too so the caller's path works
        writeLinkChain(lookup, sub, target);
      }
      return new Checkout(rootDir, files, links.size(), List.copyOf(submodules));
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Kind.IO,
          "cannot write commit " + ct.commit + " into " + target + ": " + e.getMessage(),
          e);
    }
  }

  private static void writeLinkChain(TreePaths.Lookup lookup, List<String> sub, Path target)
      throws IOException {
    List<String> at = new ArrayList<>();
    for (String c : sub) {
      at.add(c);
      String p = String.join("/", at);
      TreePaths.Entry e = lookup.get(p);
      if (e == null) {
        return;
      }
      if (e.type() == TreePaths.Type.LINK) {
        Path out = target.resolve(p);
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
          mkdirs(out.getParent());
          Files.createSymbolicLink(out, FileSystems.getDefault().getPath(e.linkTarget()));
        }
        return; // the rest is below the link's target, already written
      }
    }
  }

  /** Every entry of the tree (directories included), by path, in tree order. */
  private static Map<String, TreePaths.Entry> index(ObjectReader reader, RevTree tree)
      throws IOException {
    Map<String, TreePaths.Entry> out = new LinkedHashMap<>();
    try (TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(tree);
      tw.setRecursive(false);
      while (tw.next()) {
        FileMode mode = tw.getFileMode(0);
        out.put(tw.getPathString(), CommitFileTree.entry(reader, mode, tw.getObjectId(0)));
        if (tw.isSubtree()) {
          tw.enterSubtree();
        }
      }
    }
    return out;
  }

  private static void checkName(String path) {
    for (String c : path.split("/")) {
      if (c.isEmpty()
          || c.equals(".")
          || c.equals("..")
          || c.equalsIgnoreCase(".git")
          || c.indexOf('\\') >= 0 && c.contains("..")) {
        throw new SourceException(
            SourceException.Kind.INVALID, "refusing unsafe path '" + path + "' in the git tree");
      }
    }
  }

  private static void writeBlob(ObjectReader reader, TreePaths.Entry e, Path out)
      throws IOException {
    try (OutputStream os =
        Files.newOutputStream(
            out,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      reader.open(ObjectId.fromString(e.objectId()), Constants.OBJ_BLOB).copyTo(os);
    }
    setMode(out, e.type() == TreePaths.Type.EXECUTABLE ? "rwxr-xr-x" : "rw-r--r--");
  }

  private static void mkdirs(Path dir) throws IOException {
    if (dir != null && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      setMode(dir, "rwxr-xr-x");
    }
  }

  private static void setMode(Path p, String mode) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
  }

  /** Empties {@code dir} (not following links); a missing directory is fine. */
  private static void clear(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = walk.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------ cache and fetch

  private record CommitTree(Repository repo, String commit, RevTree tree) {}

  /** The commit (fetched when not yet cached) and its tree. */
  private CommitTree commitTree(String url, String commit, GitCredentials credentials) {
    checkUrl(url, credentials);
    if (commit == null || !FULL_SHA.matcher(commit).matches()) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "'" + commit + "' is not a full 40-hex commit SHA; resolve the ref first");
    }
    ObjectId id = ObjectId.fromString(commit.toLowerCase(Locale.ROOT));
    Repository repo = ensureCommit(url, id, credentials);
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject o = walk.peel(walk.parseAny(id));
      if (!(o instanceof RevCommit c)) {
        throw new SourceException(
            SourceException.Kind.NOT_FOUND,
            "'" + commit + "' in " + GitUrls.mask(url) + " is not a commit");
      }
      return new CommitTree(repo, c.name(), c.getTree());
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Kind.IO, "cannot read commit " + commit + " from the git cache", e);
    }
  }

  private Repository ensureCommit(String url, ObjectId id, GitCredentials credentials) {
    String key = GitUrls.cacheKey(url);
    ReentrantLock lock = lock(key);
    lock.lock();
    try {
      Repository repo = repository(key);
      if (hasCommit(repo, id)) {
        return repo;
      }
      // 1. the commit itself (servers that allow reachable or any SHA in want)
      try {
        fetch(repo, url, credentials, List.of(new RefSpec(id.name() + ":" + pinRef(id))), 1);
        if (hasCommit(repo, id)) {
          lastFetch = "sha";
          return repo;
        }
      } catch (SourceException e) {
        if (e.kind() == SourceException.Kind.UNAUTHORIZED
            || e.kind() == SourceException.Kind.UNSUPPORTED
            || e.connectionFailure) {
          throw e;
        }
        // refused (unadvertised) or unreachable: the ls-remote below tells which
      }
      // 2. a ref whose tip is the commit
      Map<String, Ref> refs = lsRemote(url, credentials);
      for (Ref r : refs.values()) {
        boolean tip =
            id.equals(r.getObjectId())
                || r.getPeeledObjectId() != null && id.equals(r.getPeeledObjectId());
        if (tip && !r.isSymbolic()) {
          fetch(repo, url, credentials, List.of(new RefSpec(r.getName() + ":" + pinRef(id))), 1);
          if (hasCommit(repo, id)) {
            lastFetch = "ref " + r.getName();
            return repo;
          }
        }
      }
      // 3. the whole history of branches and tags
      fetchAllHistory(repo, url, credentials);
      if (hasCommit(repo, id)) {
        pin(repo, id);
        lastFetch = "history";
        return repo;
      }
      throw new SourceException(
          SourceException.Kind.NOT_FOUND,
          "commit "
              + id.name()
              + " is not in "
              + GitUrls.mask(url)
              + " (not reachable from any branch or tag)");
    } finally {
      lock.unlock();
    }
  }

  private void fetchAllHistory(Repository repo, String url, GitCredentials credentials) {
    fetch(
        repo,
        url,
        credentials,
        List.of(
            new RefSpec("+refs/heads/*:refs/pyrelease/heads/*"),
            new RefSpec("+refs/tags/*:refs/pyrelease/tags/*")),
        0);
  }

  private static String pinRef(ObjectId id) {
    return PIN_PREFIX + id.name();
  }

  private static void pin(Repository repo, ObjectId id) {
    try {
      RefUpdate u = repo.updateRef(pinRef(id));
      u.setNewObjectId(id);
      u.setForceUpdate(true);
      u.update();
    } catch (IOException e) {
      // only keeps the commit from a future gc; reading works without it
    }
  }

  private static boolean hasCommit(Repository repo, ObjectId id) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject o = walk.parseAny(id);
      while (o instanceof RevTag t) {
        o = walk.parseAny(t.getObject());
      }
      if (!(o instanceof RevCommit c)) {
        return false;
      }
      return repo.getObjectDatabase().has(c.getTree());
    } catch (MissingObjectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private void fetch(
      Repository repo, String url, GitCredentials credentials, List<RefSpec> specs, int depth) {
    try {
      FetchCommand f =
          Git.wrap(repo)
              .fetch()
              .setRemote(url)
              .setRefSpecs(specs)
              .setTagOpt(TagOpt.NO_TAGS)
              .setRemoveDeletedRefs(false)
              // JGit's fetched-object check also tests connectivity and fails on shallow fetches
              // ("peer did not supply a complete object graph"); tree paths are checked on write
              .setCheckFetchedObjects(false);
      if (depth > 0) {
        f.setDepth(depth);
      } else if (!repo.getObjectDatabase().getShallowCommits().isEmpty()) {
        f.setUnshallow(true);
      }
      configure(f, credentials);
      f.call();
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof SourceException s) {
        throw s;
      }
      throw classify(e, "cannot fetch from", url, credentials);
    }
  }

  private ReentrantLock lock(String key) {
    return locks.computeIfAbsent(key, k -> new ReentrantLock());
  }

  /** The bare cache repository for {@code key}, created when missing. */
  private Repository repository(String key) {
    return repos.computeIfAbsent(
        key,
        k -> {
          Path dir = cacheDir.resolve(k + ".git");
          try {
            Files.createDirectories(cacheDir);
            Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            if (!r.getObjectDatabase().exists()) {
              r.create(true);
            }
            return r;
          } catch (IOException | IllegalStateException e) {
            throw new SourceException(
                SourceException.Kind.IO, "cannot create the git cache " + dir + ": " + e, e);
          }
        });
  }

  private <C extends TransportCommand<C, ?>> void configure(C cmd, GitCredentials credentials) {
    cmd.setTimeout(timeoutSeconds);
    if (credentials != null && credentials.kind() == GitCredentials.Kind.BASIC) {
      cmd.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password()));
    }
  }

  private void checkUrl(String url, GitCredentials credentials) {
    if (url == null || url.isBlank()) {
      throw new SourceException(SourceException.Kind.INVALID, "no git URL given");
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new SourceException(
          SourceException.Kind.INVALID, "'" + GitUrls.mask(url) + "' is not a git URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean ssh =
        scheme.equals("ssh")
            || scheme.equals("git+ssh")
            || scheme.equals("ssh+git")
            || scheme.isEmpty() && uri.getHost() != null;
    boolean local = scheme.equals("file") || scheme.isEmpty() && uri.getHost() == null;
    if (local && !allowLocal) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "local repositories (" + GitUrls.mask(url) + ") are not allowed by this operator");
    }
    if (ssh && SshSessionFactory.getInstance() == null) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "ssh URLs ("
              + GitUrls.mask(url)
              + ") are not supported by this build (no JGit ssh transport); use https with a"
              + " token");
    }
    if (credentials != null
        && credentials.kind() == GitCredentials.Kind.SSH_KEY
        && !ssh
        && !local) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "the git secret holds an ssh key but " + GitUrls.mask(url) + " is not an ssh URL");
    }
    if (ssh && credentials != null && credentials.kind() == GitCredentials.Kind.SSH_KEY) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "ssh private keys from secrets are not supported yet (" + GitUrls.mask(url) + ")");
    }
  }

  /** A JGit failure as a {@link SourceException} with a safe message. */
  static SourceException classify(
      Throwable e, String action, String url, GitCredentials credentials) {
    StringBuilder chain = new StringBuilder();
    boolean noRepo = false;
    boolean connection = false;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof NoRemoteRepositoryException) {
        noRepo = true;
      }
      if (t instanceof java.net.UnknownHostException
          || t instanceof java.net.ConnectException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof NoRemoteRepositoryException) {
        connection = true;
      }
      if (t.getMessage() != null) {
        chain.append(t.getMessage()).append(" | ");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String text = chain.toString();
    SourceException.Kind kind;
    if (AUTH_FAILURE.matcher(text).find()) {
      kind = SourceException.Kind.UNAUTHORIZED;
    } else {
      kind = SourceException.Kind.UNREACHABLE;
    }
    String detail =
        stripUrlPrefix(
            GitUrls.scrub(
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                url,
                credentials));
    if (root != e) {
      String rootMessage =
          root.getMessage() == null
              ? ""
              : stripUrlPrefix(GitUrls.scrub(root.getMessage(), url, credentials));
      if (rootMessage.isEmpty() || !detail.contains(rootMessage)) {
        detail =
            detail
                + " ("
                + root.getClass().getSimpleName()
                + (rootMessage.isEmpty() ? "" : ": " + rootMessage)
                + ")";
      }
    }
    String message =
        action
            + " "
            + GitUrls.mask(url)
            + (kind == SourceException.Kind.UNAUTHORIZED ? " (authentication failed)" : "")
            + (noRepo ? " (no repository there)" : "")
            + ": "
            + detail;
    // no cause: JGit's exceptions may hold the URL with its credentials
    SourceException out = new SourceException(kind, message);
    out.connectionFailure = connection;
    out.setStackTrace(e.getStackTrace());
    return out;
  }

  private static final Pattern URL_PREFIX =
      Pattern.compile("^(?:[A-Za-z][A-Za-z0-9+.-]*://|/)\\S*: ");

  /** JGit prefixes its messages with the URI ("uri: what"); the message names it already. */
  private static String stripUrlPrefix(String text) {
    String out = text;
    Matcher m;
    while ((m = URL_PREFIX.matcher(out)).find()) {
      out = out.substring(m.end());
    }
    return out;
  }

  @Override
  public void close() {
    repos.values().forEach(Repository::close);
    repos.clear();
  }
}
