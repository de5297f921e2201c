package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.release.ReleaseRequirements;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitRefs;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.GitResolver.ResolvedRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Git only when it can matter (issue 18): what the operator remembers of git between reconciles,
 * above the transport (the {@link GitResolver} port, whatever it speaks).
 *
 * <ul>
 *   <li>A release's ref is resolved when its spec changed (generation, URL or ref), when it is
 *       annotated {@value #REFRESH} with a new value, and — for a ref that can move (a branch, not
 *       a tag) — once the poll interval has passed. A full commit SHA is never asked about.
 *   <li>Releases that ask about the same URL, ref and credentials within {@link #SHARED} share one
 *       {@code ls-remote} (a fleet reconciling together, an operator restarting).
 *   <li>The requirements at a commit are read once per URL, commit, file and credentials and kept
 *       (the last {@link #MAX_REQUIREMENTS}); releases asking at once share the one fetch.
 * </ul>
 *
 * Credentials are part of every shared key, so a release never sees what only another release's
 * Secret could read. Failures are not remembered: the next reconcile asks again.
 */
public final class SourceCache implements Urgency.KnownCommits {
  /** Annotate a release with a new value to make it ask git now. */
  public static final String REFRESH = "pyrelease.dev/refresh";

  static final Duration SHARED = Duration.ofSeconds(5);
  static final int MAX_REQUIREMENTS = 1000;
  private static final int MAX_KNOWN = 10_000;

  private final GitResolver git;
  private final Clock clock;
  private final Duration poll;

  /** What a release's spec resolved to, and when. */
  private record Seen(
      long generation,
      String url,
      String ref,
      String refresh,
      String commit,
      boolean moves,
      Instant at) {}

  private record RefKey(String url, String ref, GitCredentials credentials) {}

  private record Asked(CompletableFuture<ResolvedRef> answer, Instant at) {}

  private record TreeKey(String url, String commit, String file, GitCredentials credentials) {}

  private final Map<String, Seen> releases = new ConcurrentHashMap<>();
  private final Map<RefKey, Asked> refs = new ConcurrentHashMap<>();
  private final Map<TreeKey, CompletableFuture<ParsedRequirements>> requirements =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<TreeKey, CompletableFuture<ParsedRequirements>> e) {
          return size() > MAX_REQUIREMENTS;
        }
      };
  private final Map<String, String> known =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
          return size() > MAX_KNOWN;
        }
      };

  /**
   * @param poll how often a ref that can move is asked again; zero: never on its own
   */
  public SourceCache(GitResolver git, Clock clock, Duration poll) {
    this.git = git;
    this.clock = clock;
    this.poll = poll;
  }

  /** The commit the release's ref names: from memory when nothing can have changed, else git. */
  ResolvedRef resolve(PythonRelease release, GitCredentials credentials) {
    var src = release.getSpec().getSource().getGit();
    String ref = src.getRef() == null ? "" : src.getRef().strip();
    if (GitRefs.isFullSha(ref)) {
      return new ResolvedRef(ref.toLowerCase(Locale.ROOT), null, java.util.List.of());
    }
    String key = release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
    long generation = generation(release);
    String refresh = refresh(release);
    Instant now = clock.instant();
    Seen seen = releases.get(key);
    if (seen != null
        && seen.generation == generation
        && seen.url.equals(src.getUrl())
        && seen.ref.equals(src.getRef())
        && Objects.equals(seen.refresh, refresh)
        && !due(seen, now)) {
      return new ResolvedRef(seen.commit, null, java.util.List.of());
    }
    boolean asked = seen != null && !Objects.equals(seen.refresh, refresh);
    ResolvedRef r = shared(src.getUrl(), src.getRef(), credentials, now, asked);
    boolean moves = r.refName() != null && !r.refName().startsWith("refs/tags/");
    releases.put(
        key, new Seen(generation, src.getUrl(), src.getRef(), refresh, r.commit(), moves, now));
    return r;
  }

  /** When the release's ref should be asked about again, or null when only a change will. */
  Duration nextPoll(PythonRelease release) {
    Seen seen =
        releases.get(release.getMetadata().getNamespace() + "/" + release.getMetadata().getName());
    if (seen == null || !seen.moves || poll.isZero()) {
      return null;
    }
    Duration left = Duration.between(clock.instant(), seen.at.plus(poll));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private boolean due(Seen seen, Instant now) {
    return seen.moves && !poll.isZero() && !now.isBefore(seen.at.plus(poll));
  }

  /** One ls-remote for everyone asking about the same ref within {@link #SHARED}. */
  private ResolvedRef shared(
      String url, String ref, GitCredentials credentials, Instant now, boolean fresh) {
    RefKey k = new RefKey(url, ref, credentials);
    CompletableFuture<ResolvedRef> mine = new CompletableFuture<>();
    Asked a =
        refs.compute(
            k,
            (kk, old) ->
                !fresh && old != null && (!old.answer.isDone() || now.isBefore(old.at.plus(SHARED)))
                    ? old
                    : new Asked(mine, now));
    if (a.answer != mine) {
      return join(a.answer);
    }
    try {
      ResolvedRef r = git.resolve(url, ref, credentials);
      synchronized (known) {
        known.put(url + "\n" + ref, r.commit());
      }
      mine.complete(r);
      return r;
    } catch (RuntimeException e) {
      refs.remove(k, a);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** The requirements at a commit, read once per URL, commit, file and credentials. */
  ParsedRequirements requirements(PythonReleaseSpec spec, String commit, GitCredentials creds) {
    if (spec.getRequirements().getInline() != null) {
      return ReleaseRequirements.atCommit(spec, commit, git, creds); // no git at all
    }
    TreeKey k =
        new TreeKey(
            spec.getSource().getGit().getUrl(), commit, ReleaseRequirements.file(spec), creds);
    CompletableFuture<ParsedRequirements> mine = new CompletableFuture<>();
    CompletableFuture<ParsedRequirements> f;
    synchronized (requirements) {
      f = requirements.putIfAbsent(k, mine);
    }
    if (f != null) {
      return join(f);
    }
    try {
      ParsedRequirements p = ReleaseRequirements.atCommit(spec, commit, git, creds);
      mine.complete(p);
      return p;
    } catch (RuntimeException e) {
      synchronized (requirements) {
        requirements.remove(k, mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** The commit a ref last resolved to (for {@link Urgency}); no git. */
  @Override
  public String commitOf(String url, String ref) {
    synchronized (known) {
      return known.get(url + "\n" + ref);
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * Which updates of a release start a reconcile: a new generation (the spec changed), as JOSDK's
   * generation-aware filter has it, or a new {@value #REFRESH} annotation (which does not change
   * the generation) — so that asking for a refresh is acted on at once. Status writes start none.
   */
  public static boolean worthReconciling(PythonRelease newer, PythonRelease older) {
    Long before = older.getMetadata().getGeneration();
    Long after = newer.getMetadata().getGeneration();
    return before == null
        || after == null
        || before < after
        || newer.getMetadata().getDeletionTimestamp() != null
        || !Objects.equals(refresh(newer), refresh(older));
  }

  private static long generation(PythonRelease r) {
    Long g = r.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static String refresh(PythonRelease r) {
    var a = r.getMetadata().getAnnotations();
    return a == null ? null : a.get(REFRESH);
  }
}
