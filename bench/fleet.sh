#!/bin/sh
# The fleet benchmark (issue 18): the real operator against fabric8's mock API server with a fake
# kubelet and a fake git. Settings are passed on as system properties, e.g.
#   bench/fleet.sh -Dfleet.releases=200,500 -Dfleet.gitLatencyMs=100 -Dfleet.namespaces=1
# The report is printed and appended to target/fleet-bench.txt. See BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
echo "load: $(uptime)"
mvn -B -q -o test -Dtest=FleetBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "load: $(uptime)"
