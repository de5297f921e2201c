#!/usr/bin/env bash
# `pyrelease check` of the Django example with two jars, runs interleaved so that load from other
# jobs on the machine falls on both alike: against the given index (PEP 503 HTML) and against a
# PEP 691 JSON view of the same files (bench/pep691_server.py), METADATA cache warm. Wall clock
# and CPU time (user + system, which load from other jobs disturbs less) in milliseconds.
#   bench/check-before-after.sh BEFORE.jar AFTER.jar INDEX_URL INDEX_ROOT [RUNS]
# (a jar of an older commit: mvn -q package -DskipTests -Dbuild.dir=target-before in its checkout)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
before=$1 after=$2 html_url=$3 root=$4 runs=${5:-10}
tmp=$(mktemp -d)
python3 -u bench/pep691_server.py "$root" >"$tmp/port" 2>"$tmp/server.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
json_url="http://127.0.0.1:$(head -1 "$tmp/port")/simple/"

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
ms() { # ms CMD... -> "wall cpu" in milliseconds on stdout; the command must succeed
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$tmp/time"
}
check() { # check JAR URL: the command
  echo env PYRELEASE_CACHE_DIR="$tmp/cache" java -jar "$1" check -f examples/django/release.yaml \
    --source examples/django/app --index-url "$2"
}
for url in "$html_url" "$json_url"; do ms $(check "$before" "$url") >/dev/null; ms $(check "$after" "$url") >/dev/null; done
printf '%-8s %-5s %10s %10s %12s\n' "index" "time" "before ms" "after ms" "after-before"
for kind in html json; do
  url=$html_url; [ $kind = json ] && url=$json_url
  : >"$tmp/b"; : >"$tmp/a"
  for _ in $(seq "$runs"); do
    ms $(check "$before" "$url") >>"$tmp/b"
    ms $(check "$after" "$url") >>"$tmp/a"
  done
  for col in 1 2; do
    what=wall; [ $col = 2 ] && what=cpu
    b=$(cut -d' ' -f$col "$tmp/b" | median) a=$(cut -d' ' -f$col "$tmp/a" | median)
    printf '%-8s %-5s %10s %10s %+12d\n' "$kind" "$what" "$b" "$a" $((a - b))
  done
  echo "  $kind before (wall cpu): $(tr '\n' ',' <"$tmp/b")" >&2
  echo "  $kind after  (wall cpu): $(tr '\n' ',' <"$tmp/a")" >&2
done

# the parser alone: first and second parse of a PEP 691 page in a fresh JVM, in microseconds
javac -d "$tmp/classes" -cp "$after" bench/Pep691ParseCost.java
curl -s -H 'Accept: application/vnd.pypi.simple.v1+json' "${json_url}django/" >"$tmp/page.json"
printf '%-26s %10s %10s\n' "PEP 691 parse (median $runs)" "before us" "after us"
for nth in 1 2; do
  : >"$tmp/b"; : >"$tmp/a"
  for _ in $(seq "$runs"); do
    java -cp "$before:$tmp/classes" Pep691ParseCost "$tmp/page.json" | cut -d' ' -f$nth >>"$tmp/b"
    java -cp "$after:$tmp/classes" Pep691ParseCost "$tmp/page.json" | cut -d' ' -f$nth >>"$tmp/a"
  done
  printf '%-26s %10s %10s\n' "parse #$nth" "$(median <"$tmp/b")" "$(median <"$tmp/a")"
done
