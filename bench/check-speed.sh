#!/usr/bin/env bash
# How fast `pyrelease check` answers a 50-line hashed requirements file against the machine's
# index served on loopback (python3 -m http.server: no range requests, no PEP 658), compared in
# the same script with the JVM's own start (`--version`) as the baseline.
#   bench/check-speed.sh [RUNS]      (needs target/pyrelease.jar: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
jar=${PYRELEASE_JAR:-target/pyrelease.jar}
index_root=${PYRELEASE_INDEX_ROOT:-/opt/pypi}
tmp=$(mktemp -d)
python3 -u -m http.server --bind 127.0.0.1 0 --directory "$index_root" >"$tmp/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do grep -q "port" "$tmp/http.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$tmp/http.log" | head -1)
url="http://127.0.0.1:$port/simple/"

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
timeit() { # timeit CMD... -> seconds on stdout
  local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}'
}
check=(java -jar "$jar" check -f bench/fifty-release.yaml --source bench --index-url "$url")

jvm=$(for _ in $(seq "$runs"); do timeit java -jar "$jar" --version; done | median)
noindex=$(for _ in $(seq "$runs"); do timeit "${check[@]}" --no-index; done | median)
cold=$(for i in $(seq "$runs"); do PYRELEASE_CACHE_DIR="$tmp/cold$i" timeit "${check[@]}"; done | median)
PYRELEASE_CACHE_DIR="$tmp/warm" "${check[@]}" >/dev/null 2>&1 || true
warm=$(for _ in $(seq "$runs"); do PYRELEASE_CACHE_DIR="$tmp/warm" timeit "${check[@]}"; done | median)
# the same through bin/pyrelease: an AppCDS archive recorded by its first run, C1 only
launcher=(env PYRELEASE_JAR="$jar" XDG_CACHE_HOME="$tmp/xdg" bin/pyrelease check -f bench/fifty-release.yaml
          --source bench --index-url "$url")
PYRELEASE_CACHE_DIR="$tmp/warm" "${launcher[@]}" >/dev/null 2>&1 || true
fast=$(for _ in $(seq "$runs"); do PYRELEASE_CACHE_DIR="$tmp/warm" timeit "${launcher[@]}"; done | median)
fastcold=$(for i in $(seq "$runs"); do PYRELEASE_CACHE_DIR="$tmp/fcold$i" timeit "${launcher[@]}"; done | median)

printf '%-52s %8s %14s\n' "case (median of $runs, wall clock)" "seconds" "after JVM start"
printf '%-52s %8s %14s\n' "JVM start: --version (baseline)" "$jvm" "-"
for row in "manifest + 50 pins, no index:$noindex" "50 pins + index + closure, empty METADATA cache:$cold" \
           "50 pins + index + closure, warm METADATA cache:$warm" \
           "bin/pyrelease (AppCDS, C1), empty METADATA cache:$fastcold" \
           "bin/pyrelease (AppCDS, C1), warm METADATA cache:$fast"; do
  name=${row%:*}; t=${row##*:}
  printf '%-52s %8s %14s\n' "$name" "$t" "$(awk -v a="$t" -v b="$jvm" 'BEGIN{printf "%.3f", a-b}')"
done
