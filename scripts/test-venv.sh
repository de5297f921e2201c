#!/usr/bin/env bash
# Real test of src/main/resources/dev/pyrelease/engine/venv.py: runs it in the Python base image with
# podman against the HTTP package index (a Django stack), twice, and checks the trees are
# byte-identical; then app packages, --app-only, error exit codes, credential masking and, with the
# host interpreter, building a C-extension sdist. Exits non-zero on the first failure.
#   scripts/test-venv.sh            (starts the test environment with scripts/testenv up if needed)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV_PY="$REPO/src/main/resources/dev/pyrelease/engine/venv.py"
"$REPO/scripts/testenv" up
STATE=${PYRELEASE_TESTENV:-$REPO/.testenv}
# shellcheck disable=SC1091
. "$STATE/env"
W="$STATE/test-venv"
rm -rf "$W" && mkdir -p "$W"
FIXTURES="$REPO/src/test/resources/dev/pyrelease/engine"

pass() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# run_venv DIR ARGS... : venv.py in the base image, DIR/venv mounted at /opt/venv, DIR at /workspace
run_venv() {
  local dir=$1; shift
  mkdir -p "$dir/venv" "$dir/out"
  podman run --rm --network host -v "$VENV_PY:/pyrelease/venv.py:ro" -v "$dir:/workspace" \
    -v "$dir/venv:/opt/venv" -v "$FIXTURES:/fixtures:ro" -w /workspace "$PYRELEASE_BASE_IMAGE" \
    python3 /pyrelease/venv.py --out /workspace/out --wheels /workspace/wheels "$@"
}

tree_sums() { (cd "$1" && find . -type f -printf '%m %p\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# hashed requirements for the Django stack (hashes from the index's #sha256= fragments)
hashed() {
  python3 - "$PYRELEASE_INDEX_ROOT" "$1" <<'EOF'
import re, sys
root, req = sys.argv[1:]
for line in open(req):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    name, version = line.split("==")
    html = open("%s/simple/%s/index.html" % (root, re.sub(r"[-_.]+", "-", name).lower())).read()
    hashes = [h for f, h in re.findall(r'href="[^"]*/([^"/#]+)#sha256=([0-9a-f]{64})', html)
              if re.sub(r"[-_.]+", "-", f.split("-")[0]).lower() == re.sub(r"[-_.]+", "-", name).lower()
              and f.split("-")[1] == version]
    print(line + "".join(" --hash=sha256:" + h for h in hashes))
EOF
}

# consistency of one venv with its manifest: RECORD hashes, ownership partition, no symlinks
check_manifest() {
  python3 - "$1/venv" "$1/out/manifest.json" <<'EOF'
import base64, csv, hashlib, json, os, sys
venv, manifest = sys.argv[1:]
m = json.load(open(manifest))
assert m["python"]["version"] == "3.11.2", m["python"]["version"]
assert m["python"]["tags"][0] == "cp311-cp311-manylinux_2_36_x86_64", m["python"]["tags"][:3]
assert "py3-none-any" in m["python"]["tags"]
owned = {}
for d in m["distributions"]:
    assert d["wheel"] and len(d["sha256"]) == 64, d["name"]
    assert d["files"] == sorted(d["files"]), d["name"]
    for f in d["files"]:
        assert f not in owned, "%s owned twice" % f
        owned[f] = d["name"]
    assert d["sizeBytes"] == sum(os.path.getsize(os.path.join(venv, f)) for f in d["files"])
app = m.get("app") or {}
if app.get("kind") == "package":
    for f in app["files"]:
        assert f not in owned, f
        owned[f] = "app"
for f in m["skeletonFiles"]:
    assert f not in owned, f
    owned[f] = "skeleton"
on_disk = set()
for root, dirs, files in os.walk(venv):
    for n in dirs + files:
        p = os.path.join(root, n)
        assert not os.path.islink(p), "symlink in venv: " + p
        assert n != "direct_url.json", p
    for n in files:
        on_disk.add(os.path.relpath(os.path.join(root, n), venv))
assert on_disk == set(owned), (sorted(on_disk - set(owned))[:5], sorted(set(owned) - on_disk)[:5])
# every RECORD row exists with its hash; every .py has its pyc in the same distribution
sp = [os.path.join(r, "site-packages") for r in [os.path.join(venv, "lib", x) for x in os.listdir(os.path.join(venv, "lib"))]][0]
rows = 0
for di in os.listdir(sp):
    if not di.endswith(".dist-info"):
        continue
    for row in csv.reader(open(os.path.join(sp, di, "RECORD"))):
        p = os.path.normpath(os.path.join(sp, row[0]))
        assert os.path.isfile(p), "RECORD lists missing " + p
        if row[1]:
            algo, digest = row[1].split("=", 1)
            got = base64.urlsafe_b64encode(hashlib.new(algo, open(p, "rb").read()).digest()).rstrip(b"=").decode()
            assert got == digest, "RECORD hash mismatch " + p
        rows += 1
pycs = sum(1 for f in owned if f.endswith(".pyc"))
for f, who in owned.items():
    if f.endswith(".py") and f.startswith("lib/"):
        d, b = os.path.split(f)
        pyc = os.path.join(d, "__pycache__", b[:-3] + ".cpython-311.pyc")
        if os.path.exists(os.path.join(venv, pyc)):
            assert owned.get(pyc) == who, (f, pyc, owned.get(pyc))
print("manifest consistent: %d distributions, %d files (%d pyc), %d RECORD rows verified, skeleton %d"
      % (len(m["distributions"]), len(owned), pycs, rows, len(m["skeletonFiles"])))
EOF
}

expect_fail() { # expect_fail CODE PATTERN LOGFILE -- CMD...
  local code=$1 pat=$2 logf=$3; shift 4
  set +e; "$@" >"$logf" 2>&1; local rc=$?; set -e
  local last; last=$(tail -1 "$logf")
  [ "$rc" = "$code" ] || { cat "$logf" >&2; fail "expected exit $code, got $rc: $last"; }
  grep -q -- "$pat" <<<"$last" || { cat "$logf" >&2; fail "expected '$pat' in: $last"; }
  pass "exit $code: $last"
}

cp "$FIXTURES/django-requirements.txt" "$W/requirements.txt"
hashed "$W/requirements.txt" >"$W/requirements-hashed.txt"

# 1. Django stack, twice (second run: --require-hashes), identical trees
mkdir -p "$W/run1" && cp "$W/requirements.txt" "$W/run1/"
t=$(now); run_venv "$W/run1" --requirements /workspace/requirements.txt \
  --index-url "$PYRELEASE_INDEX_URL" >"$W/run1.log" 2>&1 || { cat "$W/run1.log"; fail "run1"; }
pass "django stack venv in the base image: $(secs "$t")s (podman run included)"
mkdir -p "$W/run2" && cp "$W/requirements-hashed.txt" "$W/run2/requirements.txt"
t=$(now); run_venv "$W/run2" --requirements /workspace/requirements.txt --require-hashes \
  --index-url "$PYRELEASE_INDEX_URL" >"$W/run2.log" 2>&1 || { cat "$W/run2.log"; fail "run2"; }
pass "same with --require-hashes: $(secs "$t")s"
check_manifest "$W/run1"
tree_sums "$W/run1/venv" >"$W/run1.sums"; tree_sums "$W/run2/venv" >"$W/run2.sums"
diff -q "$W/run1.sums" "$W/run2.sums" >/dev/null || { diff "$W/run1.sums" "$W/run2.sums" | head; fail "venv trees differ"; }
cmp -s "$W/run1/out/manifest.json" "$W/run2/out/manifest.json" || fail "manifests differ"
pass "two runs: byte-identical venv ($(grep -c . "$W/run1.sums") lines of modes+sha256) and manifest"
podman run --rm --network host -v "$W/run1/venv:/opt/venv:ro" "$PYRELEASE_BASE_IMAGE" sh -c \
  '/opt/venv/bin/python -c "import django, PIL.Image, lxml.etree, psycopg2, sqlparse, asgiref; print(django.get_version())" && /opt/venv/bin/gunicorn --version' \
  >"$W/smoke.log" 2>&1 || { cat "$W/smoke.log"; fail "imports in the venv"; }
pass "venv imports django/PIL/lxml/psycopg2; $(tail -1 "$W/smoke.log")"

# 2. the app: a package (setuptools from the base image, no build isolation), plain files, --app-only
mkdir -p "$W/app1" && cp "$W/requirements.txt" "$W/app1/"
run_venv "$W/app1" --requirements /workspace/requirements.txt --index-url "$PYRELEASE_INDEX_URL" \
  --app /fixtures/app-package >"$W/app1.log" 2>&1 || { cat "$W/app1.log"; fail "app package"; }
check_manifest "$W/app1"
python3 - "$W/app1/out/manifest.json" "$W/app1/out/app-files" <<'EOF' || fail "app package manifest"
import json, os, sys
m = json.load(open(sys.argv[1])); app = m["app"]
assert app["kind"] == "package" and app["name"] == "shop", app
assert "lib/python3.11/site-packages/shop/__pycache__/wsgi.cpython-311.pyc" in app["files"], app["files"]
assert "bin/shop-hello" in app["files"], app["files"]
for f in app["files"]:
    assert os.path.isfile(os.path.join(sys.argv[2], f)), f
assert not any(d["name"] == "shop" for d in m["distributions"])
EOF
pass "app package: built with the base image's setuptools, own files only ($(grep -o 'building wheel with.*' "$W/app1.log"))"
# --app-only in a copy of run1's venv (stands in for the dependency image)
mkdir -p "$W/apponly" && cp -a "$W/run1/venv" "$W/apponly/venv"
run_venv "$W/apponly" --app-only --app /fixtures/app-package >"$W/apponly.log" 2>&1 || { cat "$W/apponly.log"; fail "app-only"; }
python3 - "$W/apponly/out/manifest.json" "$W/app1/out/manifest.json" <<'EOF' || fail "app-only manifest"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert "distributions" not in a and a["app"]["files"] == b["app"]["files"], a["app"]
EOF
diff -r "$W/apponly/out/app-files" "$W/app1/out/app-files" >/dev/null || fail "app-only files differ from the full build's"
pass "--app-only: same app files as the full build"
mkdir -p "$W/files" && cp "$W/requirements.txt" "$W/files/"
run_venv "$W/files" --app-only --app /fixtures/app-files >"$W/files.log" 2>&1 || { cat "$W/files.log"; fail "plain files app"; }
python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["app"]; assert a["kind"]=="files" and a["root"]=="/app" and "manage.py" in a["files"], a' \
  "$W/files/out/manifest.json" || fail "files app manifest"
pass "plain-files app -> /app"

# 3. errors: exit codes and one-line messages
printf 'django==5.2.17 --hash=sha256:%064d\n' 0 >"$W/bad-hash.txt"
mkdir -p "$W/e1" && cp "$W/bad-hash.txt" "$W/e1/requirements.txt"
expect_fail 1 "hash mismatch for django==5.2.17" "$W/e1.log" -- run_venv "$W/e1" --requirements /workspace/requirements.txt --require-hashes --index-url "$PYRELEASE_INDEX_URL"
mkdir -p "$W/e2" && echo 'django==9.9.9' >"$W/e2/requirements.txt"
expect_fail 1 "django==9.9.9" "$W/e2.log" -- run_venv "$W/e2" --requirements /workspace/requirements.txt --index-url "$PYRELEASE_INDEX_URL"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$W/e3" && cp "$W/requirements.txt" "$W/e3/"
expect_fail 2 "index unreachable" "$W/e3.log" -- run_venv "$W/e3" --requirements /workspace/requirements.txt --index-url "http://deploy:s3cr3t-pw@127.0.0.1:$closed/simple/"
grep -q 's3cr3t-pw' "$W/e3.log" && fail "password printed" || pass "password masked: $(grep -o 'deploy:[^@]*@' "$W/e3.log" | head -1)"
mkdir -p "$W/e4" && printf 'django==5.2.17\n--extra-index-url http://127.0.0.1:1/simple/\n' >"$W/e4/requirements.txt"
expect_fail 1 "requirements.txt:2: option not allowed" "$W/e4.log" -- run_venv "$W/e4" --requirements /workspace/requirements.txt --index-url "$PYRELEASE_INDEX_URL"
# credentials in the URL (the index ignores them): build works, nothing leaks
mkdir -p "$W/cred" && echo 'sqlparse==0.6.0' >"$W/cred/requirements.txt"
run_venv "$W/cred" --requirements /workspace/requirements.txt --index-url "http://deploy:s3cr3t-pw@${PYRELEASE_INDEX_URL#http://}" >"$W/cred.log" 2>&1 || { cat "$W/cred.log"; fail "cred"; }
! grep -rq 's3cr3t-pw' "$W/cred.log" "$W/cred/out" || fail "password leaked into logs/out"
pass "index URL with credentials: build ok, password in neither output nor pip.log"

# 4. host runner: hermetic despite the host's pip config/PIP_* env; sdist with a C extension (gcc)
HOSTPY=$(command -v python3)
mkdir -p "$W/links" && tar -C "$FIXTURES" -czf "$W/links/cext-demo-0.1.tar.gz" --transform 's,^cext-demo,cext-demo-0.1,' cext-demo
cp "$PYRELEASE_INDEX_ROOT"/files/setuptools-*.whl "$PYRELEASE_INDEX_ROOT"/files/wheel-0.48.0-*.whl \
  "$PYRELEASE_INDEX_ROOT"/files/packaging-*.whl "$PYRELEASE_INDEX_ROOT"/files/sqlparse-0.6.0-*.whl "$W/links/"
printf 'cext-demo==0.1\nsqlparse==0.6.0\n' >"$W/host-req.txt"
t=$(now)
PIP_INDEX_URL=http://127.0.0.1:1/nowhere PIP_REQUIRE_VIRTUALENV=1 "$HOSTPY" "$VENV_PY" --requirements "$W/host-req.txt" \
  --find-links "$W/links" --venv "$W/host/venv" --out "$W/host/out" >"$W/host.log" 2>&1 ||
  { cat "$W/host.log"; fail "host runner with sdist"; }
"$W/host/venv/bin/python" -c 'import cext_demo; assert cext_demo.add(2, 3) == 5' || fail "C extension import"
grep -q '"wheel": "cext_demo-0.1-cp311-cp311-linux_x86_64.whl"' "$W/host/out/manifest.json" || fail "sdist wheel not in manifest"
pass "host runner ($("$HOSTPY" -c 'import platform; print(platform.python_version())')): C-extension sdist built and importable, hermetic ($(secs "$t")s)"
# the same sdist in the base image: no compiler there -> exit 1 naming the failure
mkdir -p "$W/e5" && cp -r "$W/links" "$W/e5/links" && echo 'cext-demo==0.1' >"$W/e5/requirements.txt"
expect_fail 1 "cext-demo" "$W/e5.log" -- run_venv "$W/e5" --requirements /workspace/requirements.txt --find-links /workspace/links
echo "all venv.py tests passed"
