#!/usr/bin/env python3
"""Build benchmark: pyrelease build vs Dockerfile-style baselines, same wheels, same registry.

Not a test: run it by hand against the real test environment and copy the table into
BENCHMARKS.md.

    scripts/testenv up && . .testenv/env
    mvn -B -q -DskipTests package            # target/pyrelease.jar
    python3 bench/build_bench.py [--jar target/pyrelease.jar] [--rounds 1] [--json out.json]

Scenarios, each on fresh registry repositories (all three builders push to the same loopback
registry, which already holds the base image):

  cold      first build of the Django example (ours: empty Jib cache dir, empty repository)
  unchanged the same build again (digests compared)
  app-only  one line of shop/views.py changed (--repeats times, builders interleaved; the
            median run counts)
  pin-bump  pillow 11.3.0 -> 12.3.0 (both on the index), one line of requirements/prod.txt

Baselines emulate `docker build` + `docker push` of this Dockerfile faithfully, with the same
wheels (the index's files/ directory as --find-links) and the same base image:

    FROM <base>
    COPY requirements/prod.txt /tmp/requirements.txt
    RUN python3 -m venv /opt/venv && \
        /opt/venv/bin/pip install --no-deps --no-index --find-links /wheels -r /tmp/requirements.txt
    COPY . /app
    CMD [...]

  the RUN step: a fresh `python3 -m venv` + pip install in the base image (podman run), its
  result tar+gzip'ed as ONE layer (gzip -6, as docker does), the app as a second layer, written
  as an OCI layout over the base image's layout and pushed with skopeo (which skips blobs the
  registry already has, as docker push does).

  A  ephemeral builder, no layer cache: every build re-runs the RUN step (new venv layer blob:
     pip's files carry fresh mtimes, so the layer digest changes every time)
  B  warm layer cache: the venv layer is reused while requirements.txt is unchanged (docker's
     cache key for the COPY+RUN), so an app-only change pushes only the app layer; any change of
     requirements.txt rebuilds and re-pushes the whole venv layer

Bytes uploaded: for ours, the sizes of the layers pyrelease reports as pushed; for the baselines,
the compressed sizes of the venv/app layers the registry did not have (HEAD before the push).
Base-image layers are excluded for everyone (already in the registry).
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PILLOW_11 = "91da1d88226663594e3f6b4b8c3c8d85bd504117d043740a8e0ec449087cc494"
PILLOW_12 = "23d27a3e0307ec2244cc51e7287b919aa68d097504ebe19df4e76a98a3eea5bd"


def env(name):
    v = os.environ.get(name)
    if not v:
        sys.exit("bench: %s is not set: run `scripts/testenv up && . .testenv/env` first" % name)
    return v


REGISTRY = env("PYRELEASE_REGISTRY")
INDEX_URL = env("PYRELEASE_INDEX_URL")
INDEX_ROOT = env("PYRELEASE_INDEX_ROOT")
BASE = env("PYRELEASE_BASE_IMAGE")


def sh(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d):\n%s\n%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:],
                                                     p.stderr[-3000:]))
    return p.stdout


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def blob_exists(repo, digest):
    name = repo.split("/", 1)[1]
    req = urllib.request.Request("http://%s/v2/%s/blobs/%s" % (REGISTRY, name, digest), method="HEAD")
    try:
        with urllib.request.urlopen(req, timeout=10):
            return True
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return False
        raise


def unique(name):
    return "%s/bench/%s-%s" % (REGISTRY, name, os.urandom(4).hex())


# ---------------------------------------------------------------- ours


# How pyrelease is started: a fresh `java -jar` per build, and bin/pyrelease (the same jar with
# an application class-data archive and the C1 compiler only, see the script).
LAUNCHERS = {
    "jar": lambda jar: ["java", "-jar", jar],
    "bin": lambda jar: [os.path.join(ROOT, "bin", "pyrelease")],
}


def ours(launcher, jar, release, app, repo, cache):
    t0 = time.monotonic()
    p = subprocess.run(LAUNCHERS[launcher](jar) + [
        "build", "-f", release, "--source", app, "--index-url", INDEX_URL, "--base", BASE,
        "--to", repo, "--insecure-registry", "--output", "json", "--cache-dir", cache],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYRELEASE_JAR=jar))
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("bench: pyrelease build failed (%d):\n%s" % (p.returncode, p.stderr[-4000:]))
    r = json.loads(p.stdout)
    up = sum(l["sizeBytes"] for l in r["layers"] if l["uploaded"])
    return {"seconds": dt, "bytes": up, "digest": r["digest"], "venvStep": r["venvStep"],
            "uploaded": [l["name"] for l in r["layers"] if l["uploaded"]],
            "layers": {l["name"]: l["sizeBytes"] for l in r["layers"]}}


class Watch:
    """pyrelease build --watch: one JVM for the whole round. Its first build is the cold one;
    every later scenario is timed from the change to the app (or requirements) to the JSON line
    of the build it caused, which includes the settle time of the watch loop (10 ms). Its
    "buildSeconds" is the build alone: from the watch loop's "[watch] changed" line on stderr,
    printed once the change settled and just before the build starts, to that JSON line."""

    def __init__(self, launcher, jar, release, app, repo, cache, warmups):
        self.warmups = warmups
        self.app = app
        t0 = time.monotonic()
        self.p = subprocess.Popen(
            LAUNCHERS[launcher](jar) + [
                "build", "-f", release, "--source", app, "--index-url", INDEX_URL, "--base", BASE,
                "--to", repo, "--insecure-registry", "--output", "json", "--cache-dir", cache,
                "--watch"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
            env=dict(os.environ, PYRELEASE_JAR=jar))
        self.changed = []  # monotonic times of the "[watch] changed" lines
        threading.Thread(target=self.read_stderr, daemon=True).start()
        self.cold = self.result(t0)

    def read_stderr(self):
        for line in self.p.stderr:
            if line.startswith("[watch] changed"):
                self.changed.append(time.monotonic())

    def result(self, t0):
        line = self.p.stdout.readline()
        t1 = time.monotonic()
        dt = t1 - t0
        if not line:
            sys.exit("bench: pyrelease build --watch ended (%s)" % self.p.wait())
        r = json.loads(line)
        if "error" in r:
            sys.exit("bench: pyrelease build --watch failed: %s" % line)
        started = [t for t in self.changed if t0 <= t <= t1]
        return {"seconds": dt, "buildSeconds": t1 - started[-1] if started else None,
                "bytes": sum(l["sizeBytes"] for l in r["layers"] if l["uploaded"]),
                "digest": r["digest"], "venvStep": r["venvStep"],
                "uploaded": [l["name"] for l in r["layers"] if l["uploaded"]],
                "layers": {l["name"]: l["sizeBytes"] for l in r["layers"]}}

    def build(self, which, scen, repeat=0):
        if scen == "cold":
            return self.cold
        if scen == "app-only" and self.warmups:
            # a developer's session: the JIT has seen a few rebuilds before this one
            for k in range(self.warmups):
                t0 = time.monotonic()
                change_app(self.app, 100 + k)
                self.result(t0)
            self.warmups = 0
        t0 = time.monotonic()
        if scen == "unchanged":
            touch(self.app)  # saved again, same content
        elif scen == "app-only":
            change_app(self.app, 2 + 1000 * repeat)
        else:
            change(self.app, which, scen)
        return self.result(t0)

    def close(self):
        self.p.terminate()
        self.p.wait(timeout=30)


def touch(app):
    p = os.path.join(app, "shop", "views.py")
    if not os.path.exists(p):
        p = os.path.join(app, "app.py")
    with open(p, "rb") as f:
        data = f.read()
    with open(p, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- baselines


class Baseline:
    """docker build + push of the Dockerfile above, emulated; cache=True is variant B."""

    def __init__(self, work, base_layout, cache):
        self.work = work
        self.base_layout = base_layout
        self.cache = cache
        self.venv_layers = {}  # sha256(requirements.txt) -> (path, digest, diff_id, size)

    def run_step(self, requirements):
        """The RUN step in the base image: fresh venv + pip install from the same wheels."""
        root = tempfile.mkdtemp(prefix="venv-", dir=self.work)
        venv = os.path.join(root, "opt", "venv")
        os.makedirs(venv)
        sh(["podman", "run", "--rm", "--network", "host",
            "-v", "%s:/wheels:ro" % os.path.join(INDEX_ROOT, "files"),
            "-v", "%s:/tmp/requirements.txt:ro" % requirements,
            "-v", "%s:/opt/venv" % venv, "--entrypoint", "sh", BASE, "-c",
            "python3 -m venv /opt/venv && /opt/venv/bin/pip install -q --isolated "
            "--disable-pip-version-check --no-deps --no-index --find-links /wheels "
            "-r /tmp/requirements.txt"])
        return root

    def layer(self, root, arcroot, name):
        """tar (uncompressed: diff_id) then gzip -6 (digest), as docker does."""
        tar_path = os.path.join(self.work, name + ".tar")
        with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as t:
            t.add(os.path.join(root, arcroot), arcname=arcroot)
        diff_id = "sha256:" + sha256_file(tar_path)
        gz_path = tar_path + ".gz"
        with open(tar_path, "rb") as src, gzip.open(gz_path, "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.unlink(tar_path)
        return gz_path, "sha256:" + sha256_file(gz_path), diff_id, os.path.getsize(gz_path)

    def build(self, requirements, app, repo, tag):
        t0 = time.monotonic()
        key = sha256_file(requirements)
        if self.cache and key in self.venv_layers:
            venv_layer = self.venv_layers[key]
        else:
            root = self.run_step(requirements)
            venv_layer = self.layer(root, "opt/venv", "venv-" + os.urandom(3).hex())
            shutil.rmtree(root)
            if self.cache:
                self.venv_layers[key] = venv_layer
        app_root = tempfile.mkdtemp(prefix="app-", dir=self.work)
        shutil.copytree(app, os.path.join(app_root, "app"))
        app_layer = self.layer(app_root, "app", "app-" + os.urandom(3).hex())
        shutil.rmtree(app_root)
        layout = self.image_layout([venv_layer, app_layer])
        sent = sum(l[3] for l in (venv_layer, app_layer) if not blob_exists(repo, l[1]))
        sh(["skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:%s:latest" % layout,
            "docker://%s:%s" % (repo, tag)])
        shutil.rmtree(layout)
        return {"seconds": time.monotonic() - t0, "bytes": sent}

    def image_layout(self, layers):
        """The base's OCI layout plus our layers: new config (diff_ids), manifest, index."""
        out = tempfile.mkdtemp(prefix="oci-", dir=self.work)
        shutil.copytree(self.base_layout, out, dirs_exist_ok=True, copy_function=os.link)
        blobs = os.path.join(out, "blobs", "sha256")
        with open(os.path.join(out, "index.json")) as f:
            index = json.load(f)
        mdesc = index["manifests"][0]
        with open(os.path.join(blobs, mdesc["digest"].split(":")[1])) as f:
            manifest = json.load(f)
        with open(os.path.join(blobs, manifest["config"]["digest"].split(":")[1])) as f:
            config = json.load(f)
        for path, digest, diff_id, size in layers:
            os.link(path, os.path.join(blobs, digest.split(":")[1])) if not os.path.exists(
                os.path.join(blobs, digest.split(":")[1])) else None
            manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                       "digest": digest, "size": size})
            config["rootfs"]["diff_ids"].append(diff_id)
            config.setdefault("history", []).append({"created_by": "bench baseline layer"})
        config.setdefault("config", {})["Env"] = ["PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:"
                                                  "/usr/sbin:/usr/bin:/sbin:/bin"]
        config["config"]["WorkingDir"] = "/app"

        def put(obj):
            data = json.dumps(obj, separators=(",", ":")).encode()
            d = hashlib.sha256(data).hexdigest()
            with open(os.path.join(blobs, d), "wb") as f:
                f.write(data)
            return "sha256:" + d, len(data)

        cd, cs = put(config)
        manifest["config"] = {"mediaType": "application/vnd.oci.image.config.v1+json",
                              "digest": cd, "size": cs}
        md, ms = put(manifest)
        index["manifests"] = [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "digest": md, "size": ms,
                               "annotations": {"org.opencontainers.image.ref.name": "latest"}}]
        os.unlink(os.path.join(out, "index.json"))  # a hard link to the base layout's file
        with open(os.path.join(out, "index.json"), "w") as f:
            json.dump(index, f)
        return out


# ---------------------------------------------------------------- scenarios


SETS = {
    # name: (release manifest, requirements file inside the source)
    "django": ("examples/django/release.yaml", "requirements/prod.txt"),
    "fifty": ("bench/build-fifty-release.yaml", "fifty-requirements.txt"),
}


def prepare(work, which):
    app = os.path.join(work, "src")
    if which == "django":
        shutil.copytree(os.path.join(ROOT, "examples/django/app"), app)
    else:
        os.makedirs(app)
        shutil.copy(os.path.join(ROOT, "bench", "fifty-requirements.txt"), app)
        with open(os.path.join(app, "app.py"), "w") as f:
            f.write('RELEASE = "shop 1"\n')
    return app


def change_app(app, n):
    p = os.path.join(app, "shop", "views.py")
    if not os.path.exists(p):
        p = os.path.join(app, "app.py")
    with open(p) as f:
        text = f.read()
    with open(p, "w") as f:
        f.write(re.sub(r'RELEASE = "shop \d+"', 'RELEASE = "shop %d"' % n, text))


def bump_pillow(app, which):
    p = os.path.join(app, SETS[which][1])
    with open(p) as f:
        text = f.read()
    text = text.replace("pillow==11.3.0", "pillow==12.3.0").replace(PILLOW_11, PILLOW_12)
    with open(p, "w") as f:
        f.write(text)


SCENARIOS = ("cold", "unchanged", "app-only", "pin-bump")


def change(app, which, scenario):
    """Applies a scenario's change to a builder's copy of the app."""
    if scenario == "app-only":
        change_app(app, 2)
    elif scenario == "pin-bump":
        bump_pillow(app, which)


def one_round(jar, work, which, scenarios, launchers, warmups, repeats):
    """The builders take each scenario in turn (ours, A, B, then the next scenario), so that a
    burst of load from another job on this shared machine falls on all of them alike rather than
    on whichever ran during it."""
    release = os.path.join(ROOT, SETS[which][0])
    base_layout = os.path.join(work, "base-oci")
    if not os.path.isdir(base_layout):
        sh(["skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + BASE,
            "oci:%s:latest" % base_layout])
    builders = ["ours-" + l for l in launchers] + ["A", "B"]
    apps = {who: prepare(os.path.join(work, who), which) for who in builders}
    repos = {who: unique(who.lower()) for who in builders}
    baselines = {v: Baseline(os.path.join(work, v), base_layout, v == "B") for v in ("A", "B")}
    res = {who: {} for who in builders}
    watches = {}
    try:
        for i, scen in enumerate(SCENARIOS):
            for who in builders:
                if not who.startswith("ours-watch"):  # a watch builder changes its app when timed
                    change(apps[who], which, scen)
            if scen not in scenarios:
                continue
            # an app-only change is timed `repeats` times (builders interleaved, each time another
            # app change); its result is the median run, its time also listed
            runs = {who: [] for who in builders}
            for k in range(repeats if scen == "app-only" else 1):
                if k > 0:
                    for who in builders:
                        if not who.startswith("ours-watch"):
                            change_app(apps[who], 2 + 1000 * k)
                for l in launchers:
                    who = "ours-" + l
                    if l.startswith("watch"):
                        if l not in watches:
                            watches[l] = Watch("bin" if l == "watch-bin" else "jar", jar,
                                               release, apps[who], repos[who],
                                               os.path.join(work, who, "jib-cache"), warmups)
                        runs[who].append(watches[l].build(which, scen, k))
                    else:
                        runs[who].append(ours(l, jar, release, apps[who], repos[who],
                                              os.path.join(work, who, "jib-cache")))
                for v in ("A", "B"):
                    req = os.path.join(apps[v], SETS[which][1])
                    runs[v].append(baselines[v].build(req, apps[v], repos[v], "%d-%d" % (i + 1, k)))
            for who in builders:
                r = sorted(runs[who], key=lambda x: x["seconds"])[len(runs[who]) // 2]
                res[who][scen] = dict(r, runs=[x["seconds"] for x in runs[who]])
    finally:
        for w in watches.values():
            w.close()
    return res


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def secs(t):
    return "%.3f s" % t if t < 1 else "%.1f s" % t


def mib(n):
    return "%.1f MiB" % (n / 1048576.0) if n >= 1048576 else "%.1f KiB" % (n / 1024.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=os.path.join(ROOT, "target", "pyrelease.jar"))
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--json", help="write raw results here")
    ap.add_argument("--cold-only", action="store_true",
                    help="only the cold scenario (quicker, for more rounds of it)")
    ap.add_argument("--launchers", default="jar,bin,watch,watch-bin",
                    help="how pyrelease is started, comma-separated: jar (java -jar per build), "
                         "bin (bin/pyrelease per build), watch (one java -jar build --watch "
                         "process), watch-bin (one bin/pyrelease build --watch process)")
    ap.add_argument("--repeats", type=int, default=5,
                    help="timed app-only changes per round and builder (the median counts)")
    ap.add_argument("--warmups", type=int, default=5,
                    help="app edits the watch process rebuilds before the timed app-only one")
    ap.add_argument("--set", choices=sorted(SETS), default="django",
                    help="django: the example (7 pins); fifty: bench/fifty-requirements.txt")
    a = ap.parse_args()
    if not os.path.isfile(a.jar):
        sys.exit("bench: %s missing: mvn -B -q -DskipTests package" % a.jar)
    scenarios = ("cold",) if a.cold_only else SCENARIOS
    launchers = a.launchers.split(",")
    ours_ = ["ours-" + l for l in launchers]
    if "bin" in launchers:
        # bin/pyrelease records its class-data archive on its first run of a subcommand (a
        # slower run): make that run here, not inside a measured one
        work = tempfile.mkdtemp(prefix="pyrelease-bench-")
        try:
            ours("bin", a.jar, os.path.join(ROOT, SETS[a.set][0]), prepare(work, a.set),
                 unique("warmup"), os.path.join(work, "jib-cache"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    rounds = []
    for i in range(a.rounds):
        work = tempfile.mkdtemp(prefix="pyrelease-bench-")
        try:
            rounds.append(one_round(a.jar, work, a.set, scenarios, launchers, a.warmups,
                                    a.repeats))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("round %d done" % (i + 1), file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rounds, f, indent=1)

    def m(who, scen, field):
        return median([r[who][scen][field] for r in rounds])

    def ratio(base, who, scen):
        """Median over rounds of that round's baseline time / ours (builders interleaved)."""
        return median([r[base][scen]["seconds"] / r[who][scen]["seconds"] for r in rounds])

    names = {"ours-jar": "pyrelease (java -jar)", "ours-bin": "pyrelease (bin/pyrelease)",
             "ours-watch": "pyrelease (java -jar build --watch)",
             "ours-watch-bin": "pyrelease (bin/pyrelease build --watch)",
             "A": "A: no layer cache", "B": "B: warm layer cache"}
    cols = ours_ + ["A", "B"]
    print("requirements set: %s, %d round(s); times are medians, ratios medians of per-round "
          "ratios" % (a.set, len(rounds)))
    print()
    print("| scenario | " + " | ".join(names[c] for c in cols) + " | " + " | ".join(
        "%s / %s" % (b, o[5:]) for o in ours_ for b in ("A", "B")) + " |")
    print("|---|" + "---|" * (len(cols) + 2 * len(ours_)))
    for scen in scenarios:
        print("| %s: time | " % scen + " | ".join(secs(m(c, scen, "seconds")) for c in cols)
              + " | " + " | ".join("%.2f×" % ratio(b, o, scen) for o in ours_ for b in ("A", "B"))
              + " |")
        print("| %s: uploaded | " % scen + " | ".join(mib(m(c, scen, "bytes")) for c in cols)
              + " | " + " | ".join(
                  ("%.0f×" % (m(b, scen, "bytes") / m(o, scen, "bytes"))) if m(o, scen, "bytes")
                  else "–" for o in ours_ for b in ("A", "B")) + " |")
    print()
    for scen in scenarios:
        print("per round, %s (s): %s" % (scen, "; ".join(
            "%s %s" % (c, " / ".join(secs(r[c][scen]["seconds"])[:-2] for r in rounds))
            for c in cols)))
    if "app-only" in scenarios:
        for o in ours_:
            if o.startswith("ours-watch"):
                print("%s, app-only, the build alone (after the settle; median run per "
                      "round): %s s; B / that: %s" % (names[o], " / ".join(
                          "%.3f" % r[o]["app-only"]["buildSeconds"] for r in rounds),
                          "%.2f×" % median([r["B"]["app-only"]["seconds"]
                                            / r[o]["app-only"]["buildSeconds"] for r in rounds])))
        print("app-only runs per round (s): %s" % "; ".join(
            "%s %s" % (c, " | ".join(" ".join("%.3f" % x for x in r[c]["app-only"]["runs"])
                                     for r in rounds)) for c in cols))
    r0 = rounds[0][ours_[0]]
    print("pyrelease venv step per scenario: " + ", ".join(
        "%s=%s" % (s, r0[s]["venvStep"]) for s in scenarios))
    print("pyrelease layers pushed: " + "; ".join(
        "%s: %s" % (s, ",".join(r0[s]["uploaded"]) or "none") for s in scenarios))
    # what a one-pin bump must upload at least when every file of the distribution changes: its
    # own layers (dist-<name>, and libs-<name> for its vendored libraries; a small distribution
    # shares a bucket layer), against the baselines' venv layer, re-sent whole
    venv_a = m("A", "cold", "bytes")
    floor = {}
    for n, b in r0["cold"]["layers"].items():
        for prefix in ("dist-", "libs-"):
            if n.startswith(prefix):
                floor[n[len(prefix):]] = floor.get(n[len(prefix):], 0) + b
        if n.startswith("deps-bucket-"):
            floor[n] = b
    own = {n[len("dist-"):]: b for n, b in r0["cold"]["layers"].items() if n.startswith("dist-")}
    has_libs = {n[len("libs-"):] for n in r0["cold"]["layers"] if n.startswith("libs-")}
    print("one-pin bump floor (its layers in the cold build / A's venv+app layers): " + ", ".join(
        "%s %s = %.1f%%%s" % (n, mib(b), 100.0 * b / venv_a,
                              " (%.1f%% if its vendored libraries stay)" % (100.0 * own[n] / venv_a)
                              if n in has_libs else "")
        for n, b in sorted(floor.items(), key=lambda kv: -kv[1])))
    print()
    print("targets:")
    for o in ours_:
        print(" %s:" % names[o])
        if "app-only" in scenarios:
            ao, bo = ratio("A", o, "app-only"), ratio("B", o, "app-only")
            print("  warm app-only >= 5x faster than A: %.1fx -> %s" % (
                ao, "met" if ao >= 5 else "NOT met"))
            print("  warm app-only no slower than B: %.2fx -> %s" % (
                bo, "met" if bo >= 1 else "NOT met"))
        if "pin-bump" in scenarios:
            pb = m(o, "pin-bump", "bytes")
            pa, pbb = m("A", "pin-bump", "bytes"), m("B", "pin-bump", "bytes")
            print("  pin-bump bytes <= 10%% of baselines: %.1f%% of A, %.1f%% of B -> %s" % (
                100.0 * pb / pa, 100.0 * pb / pbb,
                "met" if pb <= 0.1 * min(pa, pbb) else "NOT met"))
        if "unchanged" in scenarios:
            same = all(r[o]["cold"]["digest"] == r[o]["unchanged"]["digest"] for r in rounds)
            print("  identical digest on unchanged rebuild: %s (%s)" % (
                "met" if same else "NOT met", rounds[0][o]["cold"]["digest"]))
        co = ratio("A", o, "cold")
        print("  cold no slower than A: %.2fx -> %s" % (co, "met" if co >= 1 else "NOT met"))


if __name__ == "__main__":
    main()
