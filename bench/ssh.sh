#!/bin/sh
# git over ssh: the resolver's ref resolution (an ls-remote) against the testenv sshd, with OpenSSH's
# git ls-remote and JGit over file:// as baselines in the same run (SshBench). Needs the test
# environment: scripts/testenv up && . .testenv/env. Rounds: -Dssh.rounds=N. See BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
echo "load: $(uptime)"
mvn -B -q -o test -Dtest=SshBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
# surefire keeps a quiet run's stdout in its report
grep -ho 'ssh bench[^]]*' target/surefire-reports/TEST-dev.pyrelease.source.jgit.SshBench.xml
echo "load: $(uptime)"
