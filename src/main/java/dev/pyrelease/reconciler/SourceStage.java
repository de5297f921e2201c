package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;

/**
 * Stage 2: resolves source.git.ref to a commit and reads the requirements at that commit, through
 * the {@link SourceCache} (git only when the spec changed, a branch's poll is due or the release
 * asks). An unknown ref (NOT_FOUND from resolve) is terminal; any other {@link SourceException} is
 * thrown, and JOSDK retries with backoff.
 */
final class SourceStage {
  /** The commit and the requirements read at it, or the terminal error. */
  record Result(String commit, ParsedRequirements requirements, Terminal terminal) {}

  private final SourceCache git;
  private final Credentials credentials;

  SourceStage(SourceCache git, Credentials credentials) {
    this.git = git;
    this.credentials = credentials;
  }

  Result run(PythonRelease release, Outcome out) {
    var src = release.getSpec().getSource().getGit();
    GitCredentials creds =
        credentials.git(release.getMetadata().getNamespace(), src.getSecretRef());
    String commit;
    try {
      commit = git.resolve(release, creds).commit();
    } catch (SourceException e) {
      if (e.kind() != SourceException.Kind.NOT_FOUND) {
        throw e;
      }
      return new Result(
          null,
          null,
          new Terminal(
              ConditionTypes.SOURCE_RESOLVED,
              "UnknownRef",
              "spec.source.git.ref: '"
                  + src.getRef()
                  + "' does not exist in "
                  + src.getUrl()
                  + " \u2014 push it or name an existing branch, tag or commit"));
    }
    out.set(
        ConditionTypes.SOURCE_RESOLVED,
        Cond.isTrue("Resolved", src.getRef() + " is commit " + commit));
    ParsedRequirements parsed = git.requirements(release.getSpec(), commit, creds);
    return new Result(commit, parsed, null);
  }
}
