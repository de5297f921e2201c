#!/usr/bin/env bash
# `pyrelease build` after a base patch with the interpreter unchanged: the rebase (the earlier
# dependency image's distribution layers kept, no pip) against the full venv step of the same
# release on the same patched base (`build --full-venv`), a fresh JVM (java -jar) per build, the two
# interleaved in each round so that load from other jobs falls on both alike.
#   scripts/testenv up && set -a && . .testenv/env && set +a
#   mvn -B -q -DskipTests package          # target/pyrelease.jar
#   bench/rebase-bench.sh [ROUNDS]          # default 3
# The release: the 50 pins of bench/fifty-requirements.txt (bench/build-fifty-release.yaml) and a
# one-file app. Each round pushes a patched base under the same tag (the current image plus a layer
# with one new file, made with podman build, as a distribution's security update would), then
# builds into two repositories that both hold the release's dependency image on the previous
# base: one rebases, the other runs the full venv step. Prints the wall time of each build, the
# pip runs venv.py reported, the path each build took, the medians and their ratio, and the load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-3}
jar=${JAR:-target/pyrelease.jar}
: "${PYRELEASE_REGISTRY:?run scripts/testenv up and source .testenv/env}"
tmp=$(mktemp -d)
images=()
cleanup() {
  for i in "${images[@]}"; do podman rmi -f "$i" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

app=$tmp/app
mkdir -p "$app"
cp bench/fifty-requirements.txt "$app/"
echo "print('hello')" >"$app/hello.py"
id=$(date +%s%N)
tag=$PYRELEASE_REGISTRY/bench-rebase/python-$id:3.11
rebase_repo=$PYRELEASE_REGISTRY/bench-rebase/rebase-$id
full_repo=$PYRELEASE_REGISTRY/bench-rebase/full-$id
skopeo copy -q --src-tls-verify=false --dest-tls-verify=false \
  "docker://$PYRELEASE_BASE_IMAGE" "docker://$tag"

build() { # build REPO [FLAGS...] -> "seconds venvStep pipRuns" on stdout
  local repo=$1
  shift
  local t0 t1
  t0=$(date +%s%N)
  java -jar "$jar" build -f bench/build-fifty-release.yaml --source "$app" \
    --index-url "$PYRELEASE_INDEX_URL" --base "$tag" --to "$repo" --insecure-registry \
    --output json --cache-dir "$tmp/cache" "$@" >"$tmp/out.json" 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  t1=$(date +%s%N)
  printf '%.2f %s %s\n' "$(echo "($t1 - $t0) / 1000000000" | bc -l)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["venvStep"])' "$tmp/out.json")" \
    "$(grep -c 'pip wheel: ' "$tmp/err" || true)"
}

patch_base() { # pushes the tag's image plus one layer (a new file) under the tag
  local n=$1 ctx=$tmp/patch-$1 digest image
  digest=$(skopeo inspect --tls-verify=false "docker://$tag" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')
  mkdir -p "$ctx"
  echo "patch $n $id" >"$ctx/patch.txt"
  printf 'FROM %s@%s\nCOPY patch.txt /etc/pyrelease-bench-patch-%s\n' "${tag%:*}" "$digest" "$n" >"$ctx/Containerfile"
  image=localhost/pyrelease-bench-rebase:$id-$n
  images+=("$image")
  podman build -q --network none --tls-verify=false -t "$image" "$ctx" >/dev/null
  podman push -q --tls-verify=false "$image" "docker://$tag"
}

echo "warm-up: both repositories get the release's dependency image on the base" >&2
build "$rebase_repo" >/dev/null
build "$full_repo" >/dev/null

printf '%-6s %10s %-8s %4s %10s %-8s %4s\n' round "rebase s" path pip "full s" path pip
: >"$tmp/r"
: >"$tmp/f"
for n in $(seq "$rounds"); do
  patch_base "$n"
  if [ $((n % 2)) = 1 ]; then
    r=$(build "$rebase_repo")
    f=$(build "$full_repo" --full-venv)
  else
    f=$(build "$full_repo" --full-venv)
    r=$(build "$rebase_repo")
  fi
  echo "$r" | cut -d' ' -f1 >>"$tmp/r"
  echo "$f" | cut -d' ' -f1 >>"$tmp/f"
  read -r rs rp rpip <<<"$r"
  read -r fs fp fpip <<<"$f"
  printf '%-6s %10s %-8s %4s %10s %-8s %4s\n' "$n" "$rs" "$rp" "$rpip" "$fs" "$fp" "$fpip"
done
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
mr=$(median <"$tmp/r")
mf=$(median <"$tmp/f")
printf 'median: rebase %ss, full venv step %ss: the rebase is %.1fx faster\n' "$mr" "$mf" \
  "$(echo "$mf / $mr" | bc -l)"
echo "load: $(uptime)"
