#!/bin/sh
# The fleet-patching benchmark (issue 15): a base image tag moves under N releases on the fleet
# harness (the real operator, fabric8's mock API server, a fake kubelet). Settings as for
# bench/fleet.sh, e.g.
#   bench/fleet-patch.sh -Dfleet.releases=50,200
# The report is printed and appended to target/fleet-patch-bench.txt. See BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
echo "load: $(uptime)"
mvn -B -q -o test -Dtest=FleetPatchBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "load: $(uptime)"
