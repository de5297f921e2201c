#!/usr/bin/env python3
"""pyrelease venv step: a fresh, deterministic virtualenv from pinned requirements.

Runs inside the release's base image (python3 with pip; stdlib only, Python 3.9+), or on a
host whose interpreter is the base's ("--runner host"):

    python3 venv.py --requirements REQ [--index-url URL | --find-links URL ...] [--require-hashes]
                    [--app DIR] [--venv /opt/venv] [--wheels DIR] [--out DIR] [--app-only]
                    [--netrc FILE] [--python-version 3.11]
    python3 venv.py --from-plan WORKSPACE/plan.json [--netrc FILE]     (the build Job)
    python3 venv.py --commands-only --out DIR --build-commands FILE    (spec.build.commands)
    python3 venv.py --from-plan WORKSPACE/plan.json --commands-only    (the build Job)

Steps (full mode):
  1. pip wheel --no-deps every requirement into WHEELS (emptied first; sdists are built with
     build isolation, their build requirements coming from the same index);
  2. python3 -m venv --copies --without-pip VENV (VENV emptied first);
  3. the base image's pip installs exactly those wheels into VENV
     (pip --python VENV/bin/python install --no-deps --no-index WHEELS/*.whl);
  4. Jib-friendly, deterministic tree: no symlinks (lib64 dropped), no direct_url.json (and its
     RECORD row), every __pycache__ removed and .pyc recompiled with unchecked-hash invalidation,
     PYTHONHASHSEED=0, SOURCE_DATE_EPOCH=0;
  5. the app: a package (pyproject.toml/setup.py) is built into a wheel by the base interpreter
     (--no-build-isolation with the base image's setuptools/wheel when its build backend is
     importable there, otherwise with build isolation from the index) and installed into VENV;
     plain files are listed as-is (target /app). Either way the app's files are exported to
     OUT/app-files/ (paths relative to the app root);
  6. OUT/manifest.json: interpreter, distributions (wheel, sha256, files incl. .pyc, size), app,
     skeleton files.
--app-only: VENV already exists (the dependency image); only step 5, manifest lists only the app.
--build-commands FILE (a JSON list of argv lists): after step 5, the release's build commands run
  in order in RUN_DIR (/app, the app's path at run time), which holds OUT/app-files (a mount of it,
  or a copy made there and copied back), as the build user (started as root, the script drops to
  --build-user for them), with VENV/bin first on PATH, VIRTUAL_ENV, a fresh HOME and TMPDIR under
  /tmp/pyrelease-commands, and a fixed environment (LANG=C.UTF-8, TZ=UTC, PYTHONHASHSEED=0,
  PYTHONDONTWRITEBYTECODE=1, SOURCE_DATE_EPOCH=315532800), nothing inherited; what they leave in
  RUN_DIR is the app (links to files of RUN_DIR or VENV replaced by copies, __pycache__ and .pyc
  left out, every file made readable by all); a failing command fails with exit 1, its last output
  lines before the error. The network is the caller's to turn off (the runner's container or
  namespace), and so is making VENV read-only.
--commands-only: only the build commands, on OUT/app-files of an earlier run; OUT/manifest.json's
  app files are updated.
A build image beside the run image (spec.python.buildImage): the run image is asked first,
  --probe-interpreter writes its interpreter (path, version, ABI, platform, sha256) to
  OUT/run-interpreter.json; the full step in the build image, given --run-image NAME, compares its
  own interpreter with that before pip runs (exit 1 naming both images and what differs: the venv
  holds a copy of the build image's interpreter and runs on the run image's libraries) and leaves
  the shared-library check to --check-libraries, run in the run image on the venv it made, which
  writes each distribution's missingLibraries into OUT/manifest.json.

pip is hermetic: --isolated, no PIP_* variables, PIP_CONFIG_FILE=/dev/null, only the given index.
Exit codes: 0 ok; 1 bad input or resolution failure (pin not on the index, hash mismatch, build
failure); 2 environment failure (index unreachable or refusing credentials, venv/pip missing,
I/O). The last line on stderr is a one-line "venv: error: ..." message; credentials are masked.
"""
import argparse
import base64
import collections
import concurrent.futures
import csv
import hashlib
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

EXIT_INPUT = 1
EXIT_ENV = 2
SECRETS = []  # strings to mask in everything we print


class Failure(Exception):
    def __init__(self, code, message, detail=()):
        super().__init__(message)
        self.code = code
        self.detail = list(detail)  # lines shown before the error (a build command's last output)


def mask(text):
    text = str(text)
    for s in SECRETS:
        if s:
            text = text.replace(s, "****")
    # user:password@host in any URL
    return re.sub(r"(://[^/\s:@]+):[^/\s@]+@", r"\1:****@", text)


def log(msg):
    print(mask("[venv] " + msg), file=sys.stderr, flush=True)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


# ---------------------------------------------------------------- environment and pip


def clean_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PIP_") and k not in (
               "PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONSTARTUP", "PYTHONINSPECT",
               "PYTHONSAFEPATH", "PYTHONPYCACHEPREFIX", "PYTHONOPTIMIZE", "PYTHONDONTWRITEBYTECODE",
               "VIRTUAL_ENV", "NETRC")}
    env.update({
        "PIP_CONFIG_FILE": os.devnull,
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


PIP_GENERAL = ["--isolated", "--disable-pip-version-check", "--no-input"]
CONNECTION_ERRORS = (
    "Failed to establish a new connection", "NewConnectionError", "Connection refused",
    "Name or service not known", "Temporary failure in name resolution", "Max retries exceeded",
    "ConnectTimeoutError", "Read timed out", "Network is unreachable", "SSLError",
)


def run(cmd, env, what, log_file=None, python_error=False):
    """Run a command; on failure raise Failure with the most relevant line of its output."""
    t0 = time.monotonic()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, cwd=tempfile.gettempdir())
    out = proc.stdout.decode("utf-8", "replace")
    if log_file:
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(mask("$ " + " ".join(cmd)) + "\n" + mask(out) + "\n")
    if proc.returncode != 0:
        for line in out.splitlines()[-40:]:
            print(mask("  | " + line), file=sys.stderr)
        raise classify(out, what, python_error)
    log("%s: %.1fs" % (what, time.monotonic() - t0))
    return out


def classify(out, what, python_error=False):
    lines = [l.rstrip() for l in out.splitlines()]
    if any(e in out for e in CONNECTION_ERRORS):
        line = next((l for l in lines if any(e in l for e in CONNECTION_ERRORS)), "")
        return Failure(EXIT_ENV, "%s: index unreachable: %s" % (what, line.strip()[:300]))
    m = re.search(r"\b(401|403) Client Error[^\n]*", out)
    if m:
        return Failure(EXIT_ENV, "%s: index refused access: %s" % (what, m.group(0)[:300]))
    if "DO NOT MATCH THE HASHES" in out:
        req = exp = got = ""
        for l in lines:
            s = l.strip()
            if s.startswith("Expected sha256") and not exp:
                exp = s.split()[-1]
            elif s.startswith("Got") and exp and not got:
                got = s.split()[-1]
            elif s.endswith(":") and " from " in s and not exp:
                req = s.split(" from ")[0]
        return Failure(EXIT_INPUT, "%s: hash mismatch for %s: expected sha256 %s, got %s"
                       % (what, req or "?", exp or "?", got or "?"))
    if "DO NOT MATCH" not in out and "Hashes are required" in out:
        line = next(l for l in lines if "Hashes are required" in l)
        return Failure(EXIT_INPUT, "%s: %s" % (what, line.replace("ERROR: ", "")))
    nomatch = [l for l in lines if "Could not find a version that satisfies" in l]
    if nomatch:
        return Failure(EXIT_INPUT, "%s: %s" % (what, nomatch[0].replace("ERROR: ", "").strip()))
    if "subprocess-exited-with-error" in out:
        # a build (or build-dependency install) failed: name the requirement, pip's summary line
        # and the first specific inner error
        req = ""
        summary = next((l.strip().lstrip("×").strip() for l in lines if l.strip().startswith("×")), "")
        for l in lines:
            m = re.match(r"\s*(?:Collecting|Processing) (\S+)", l)
            if m:
                req = os.path.basename(m.group(1))
            if l.strip().startswith("×"):
                break
        inner = [l.strip() for l in lines
                 if re.match(r"\s*(ERROR|error):", l) and "subprocess-exited-with-error" not in l
                 and "Failed building wheel" not in l and "Could not build wheels" not in l]
        msg = "%s: building %s: %s" % (what, req or "?", summary or "failed")
        if inner:
            msg += ": " + inner[0].replace("ERROR: ", "")[:300]
        return Failure(EXIT_INPUT, msg)
    errors = [l.strip() for l in lines if l.startswith("ERROR:")]
    if errors:
        # prefer the most specific pip error line
        pick = errors[0]
        for e in errors:
            if "Failed building wheel" in e or "Could not build wheels" in e:
                pick = e
        detail = [l.strip() for l in lines if l.strip().startswith("error:")]
        msg = pick.replace("ERROR: ", "")
        if detail:
            msg += " (" + detail[-1][:200] + ")"
        return Failure(EXIT_INPUT, "%s: %s" % (what, msg))
    if python_error:
        last = next((l for l in reversed(lines) if l.strip()), "failed")
        return Failure(EXIT_ENV, "%s: %s" % (what, last.strip()[:300]))
    tail = next((l for l in reversed(lines) if l.strip()), "exit status nonzero")
    return Failure(EXIT_INPUT, "%s failed: %s" % (what, tail.strip()[:300]))


def index_args(a):
    if a.index_url:
        return ["--index-url", a.index_url]
    if a.find_links:
        args = ["--no-index"]
        for fl in a.find_links:
            args += ["--find-links", fl]
        return args
    return ["--no-index"]


def preflight(a):
    """Distinguish 'index unreachable' (exit 2) from resolution failures before pip retries."""
    urls = [a.index_url] if a.index_url else list(a.find_links or [])
    for url in urls:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme in ("", "file"):
            path = urllib.request.url2pathname(parsed.path) if parsed.scheme else url
            if not os.path.exists(path):
                raise Failure(EXIT_ENV, "index unreachable: %s does not exist" % mask(url))
            continue
        if parsed.scheme not in ("http", "https"):
            raise Failure(EXIT_INPUT, "unsupported index URL scheme: %s" % mask(url))
        req_url = urllib.parse.urlunsplit((parsed.scheme, parsed.hostname + (
            ":%d" % parsed.port if parsed.port else ""), parsed.path or "/", parsed.query, ""))
        req = urllib.request.Request(req_url, headers={"User-Agent": "pyrelease-venv"})
        user, password = parsed.username, parsed.password
        if user is None and a.netrc:
            try:
                import netrc
                auth = netrc.netrc(a.netrc).authenticators(parsed.hostname)
                if auth:
                    user, password = auth[0], auth[2]
            except (OSError, netrc.NetrcParseError) as e:
                raise Failure(EXIT_ENV, "cannot read netrc file: %s" % e)
        if user is not None:
            token = base64.b64encode(("%s:%s" % (urllib.parse.unquote(user),
                                                 urllib.parse.unquote(password or ""))).encode())
            req.add_header("Authorization", "Basic " + token.decode())
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                r.read(1)
        except urllib.error.HTTPError as e:
            if e.code in (401, 403):
                raise Failure(EXIT_ENV, "index refused access: HTTP %d for %s" % (e.code, mask(url)))
            if e.code >= 500:
                raise Failure(EXIT_ENV, "index unreachable: HTTP %d for %s" % (e.code, mask(url)))
            # 404 on the root of a simple index is legal (the project pages may still exist)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise Failure(EXIT_ENV, "index unreachable: %s: %s" % (mask(url), reason))


# ---------------------------------------------------------------- requirements

FORBIDDEN_OPTIONS = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-index",
                     "--trusted-host", "-e", "--editable", "--pre", "--prefer-binary",
                     "--only-binary", "--no-binary", "--use-feature")


def check_requirements(path, seen=None):
    """The Java side validates requirements; this is the hermeticity backstop: no file may
    redirect pip to another index or install editable/VCS code. Follows -r/-c includes."""
    seen = seen or set()
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read().splitlines()
    except OSError as e:
        raise Failure(EXIT_INPUT, "cannot read requirements %s: %s" % (path, e.strerror))
    buf, start = "", 0
    for i, line in enumerate(raw, 1):
        if not buf:
            start = i
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        text = re.sub(r"(^|\s)#.*$", "", buf).strip()
        buf = ""
        if not text:
            continue
        first = text.split()[0]
        opt = first.split("=")[0]
        if opt in FORBIDDEN_OPTIONS or re.match(r"^-[ief]\S", first):
            raise Failure(EXIT_INPUT, "%s:%d: option not allowed in a release requirements file: %s"
                          % (path, start, mask(text)))
        if opt in ("-r", "--requirement", "-c", "--constraint"):
            inc = text.split(None, 1)[1] if " " in text else first.split("=", 1)[1]
            check_requirements(os.path.join(os.path.dirname(path), inc.strip()), seen)
        elif re.search(r"(^|\s)(\w+\+)?(https?|file|git|hg|svn|bzr)://|\s@\s", text):
            raise Failure(EXIT_INPUT, "%s:%d: URL/VCS requirement not allowed: %s"
                          % (path, start, mask(text)))


# ---------------------------------------------------------------- venv tree


def empty_dir(path):
    """Remove the contents of path (which may be a mount point), keep path itself."""
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        p = os.path.join(path, name)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)


def site_packages_rel(venv):
    found = []
    for lib in ("lib",):
        base = os.path.join(venv, lib)
        if os.path.isdir(base):
            for name in sorted(os.listdir(base)):
                sp = os.path.join(base, name, "site-packages")
                if name.startswith("python") and os.path.isdir(sp):
                    found.append(os.path.join(lib, name, "site-packages"))
    if len(found) != 1:
        raise Failure(EXIT_ENV, "cannot find the venv's site-packages under %s/lib" % venv)
    return found[0]


def remove_symlinks(venv):
    """Jib follows links: drop lib64 -> lib, copy any other link's target, drop dangling ones."""
    changed = []
    for root, dirs, files in os.walk(venv):
        for name in sorted(dirs + files):
            p = os.path.join(root, name)
            if not os.path.islink(p):
                continue
            rel = os.path.relpath(p, venv)
            target = os.path.realpath(p)
            os.unlink(p)
            if rel == "lib64" or target == os.path.realpath(os.path.join(venv, "lib")):
                changed.append(rel + " (dropped)")
            elif os.path.isfile(target):
                shutil.copy2(target, p)
                changed.append(rel + " (copied)")
            elif os.path.isdir(target) and not (target + os.sep).startswith(os.path.realpath(venv) + os.sep):
                shutil.copytree(target, p, symlinks=False)
                changed.append(rel + " (copied dir)")
            else:
                changed.append(rel + " (dropped)")
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
    for c in changed:
        log("symlink " + c)


def drop_direct_url(dist_info):
    p = os.path.join(dist_info, "direct_url.json")
    if not os.path.exists(p):
        return
    os.unlink(p)
    record = os.path.join(dist_info, "RECORD")
    name = os.path.basename(dist_info) + "/direct_url.json"
    with open(record, encoding="utf-8", newline="") as f:
        lines = f.readlines()
    kept = [l for l in lines if next(csv.reader([l]))[0] != name] if lines else lines
    with open(record, "w", encoding="utf-8", newline="") as f:
        f.writelines(kept)


def remove_pycache(top):
    for root, dirs, _ in os.walk(top):
        if "__pycache__" in dirs:
            shutil.rmtree(os.path.join(root, "__pycache__"))
            dirs.remove("__pycache__")


def compile_tree(python, env, targets, log_file):
    """Deterministic bytecode for targets: directories (every .py below) and .py files. compileall exits 1 when some file has a syntax error (packages ship
    such files, e.g. templates or py2 examples); that is reported, not fatal.

    The .py files are dealt round-robin to one compileall process per CPU, each given its own
    list: `compileall -j N` hands the files to a process pool one at a time, which on a Django
    venv cost half again the CPU of a single process and was no faster on two cores."""
    t0 = time.monotonic()
    files = []
    for top in targets:
        if os.path.isfile(top):  # a package app's own sources, from its RECORD
            if top.endswith(".py"):
                files.append(top)
            continue
        for root, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
    if not files:
        log("compile: no .py files")
        return
    workers = max(1, min(os.cpu_count() or 1, len(files) // 200 or 1))
    procs = []
    lists = []
    try:
        for k in range(workers):
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as lst:
                lst.write("\n".join(files[k::workers]) + "\n")
            lists.append(lst.name)
            cmd = [python, "-I", "-m", "compileall", "-q", "-q", "--invalidation-mode",
                   "unchecked-hash", "-i", lst.name]
            procs.append((cmd, subprocess.Popen(
                cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=tempfile.gettempdir())))
        results = [(cmd, p.communicate()[0].decode("utf-8", "replace"), p.returncode)
                   for cmd, p in procs]
    finally:
        for cmd, p in procs:
            if p.poll() is None:
                p.kill()
        for name in lists:
            os.unlink(name)
    with open(log_file, "a", encoding="utf-8") as f:
        for cmd, out, _ in results:
            f.write("$ " + " ".join(cmd) + "\n" + out + "\n")
    for _, out, code in results:
        if code not in (0, 1):
            raise Failure(EXIT_ENV, "compileall failed: %s" % (out.strip().splitlines() or ["?"])[-1])
    bad = any(code for _, _, code in results)
    log("compile: %d files in %d process(es), %.1fs%s" % (
        len(files), workers, time.monotonic() - t0, " (some files not compilable)" if bad else ""))


# ---------------------------------------------------------------- distributions


def read_metadata(dist_info):
    name = version = None
    with open(os.path.join(dist_info, "METADATA"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                break
            if line.startswith("Name:") and name is None:
                name = line[5:].strip()
            elif line.startswith("Version:") and version is None:
                version = line[8:].strip()
    return name, version


def record_files(venv, sp_rel, dist_info, cache_tag):
    """Files of a distribution, relative to the venv root: its RECORD plus the .pyc compiled
    for each of its .py files (compileall's output is not in RECORD)."""
    files = set()
    outside = []
    with open(os.path.join(dist_info, "RECORD"), encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if not row or not row[0]:
                continue
            p = row[0]
            rel = os.path.normpath(p if os.path.isabs(p) else os.path.join(sp_rel, p))
            if os.path.isabs(p):
                rel = os.path.relpath(p, venv)
            if rel.startswith(".."):
                outside.append(p)
                continue
            if "/__pycache__/" in "/" + rel and rel.endswith(".pyc"):
                continue  # pyc listed by the installer: re-derived below from the sources
            if os.path.isfile(os.path.join(venv, rel)):
                files.add(rel)
    for rel in list(files):
        if rel.endswith(".py"):
            d, base = os.path.split(rel)
            pyc = os.path.join(d, "__pycache__", "%s.%s.pyc" % (base[:-3], cache_tag))
            if os.path.isfile(os.path.join(venv, pyc)):
                files.add(pyc)
    if outside:
        log("warning: %s installs files outside the venv: %s" % (os.path.basename(dist_info),
                                                                  ", ".join(sorted(outside)[:5])))
    return sorted(files)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def content_mtime_ns(path):
    """A file's mtime derived from its content, the same as WorkspaceLock.contentTime in Java: the
    first 8 bytes of its sha256 as a big-endian number v; seconds = 33 bits of v >> 31 (before
    the year 2243), nanoseconds = (v & 0x7fffffff) % 10**9."""
    with open(path, "rb") as f:
        v = int.from_bytes(hashlib.sha256(f.read()).digest()[:8], "big")
    return ((v >> 31) & ((1 << 33) - 1)) * 1000000000 + (v & 0x7fffffff) % 1000000000


def content_mtimes(top):
    """Jib's layer cache is keyed on each file's path and mtime: content-derived mtimes let an
    unchanged distribution's layer hit the cache on the next build and a changed file miss it.
    Done here rather than in the assemble step because hashlib hashes a 100 MB venv in a fraction
    of the time a freshly started JVM takes; the manifest says which trees were done."""
    paths = []
    for root, _, files in os.walk(top):
        paths.extend(os.path.join(root, n) for n in files)
    paths = [p for p in paths if not os.path.islink(p) and os.path.isfile(p)]
    # hashlib releases the GIL on large buffers: threads use every core for big files
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for p, t in zip(paths, pool.map(content_mtime_ns, paths, chunksize=64)):
            os.utime(p, ns=(t, t), follow_symlinks=False)


def parse_wheel_name(filename):
    parts = filename[:-4].split("-")
    if len(parts) not in (5, 6):
        raise Failure(EXIT_INPUT, "not a wheel file name: %s" % filename)
    return canonical(parts[0]), parts[1]


def dist_infos(venv, sp_rel):
    sp = os.path.join(venv, sp_rel)
    return sorted(os.path.join(sp, n) for n in os.listdir(sp) if n.endswith(".dist-info"))


def describe_dist(venv, sp_rel, dist_info, wheels, cache_tag):
    name, version = read_metadata(dist_info)
    files = record_files(venv, sp_rel, dist_info, cache_tag)
    wheel = wheels.get((canonical(name), version))
    return {
        "name": name,
        "version": version,
        "wheel": os.path.basename(wheel) if wheel else None,
        "sha256": sha256_file(wheel) if wheel else None,
        "files": files,
        "sizeBytes": sum(os.path.getsize(os.path.join(venv, p)) for p in files),
    }


# Where the dynamic loader looks without being told (besides its cache, read with ldconfig -p).
SYSTEM_LIB_DIRS = ("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
                   "/usr/lib/x86_64-linux-gnu", "/usr/local/lib")


def elf_dynamic(path):
    """(needed, rpath + runpath) of an ELF64 little-endian object with a dynamic section, else
    None. Reads the program headers, the dynamic section and its string table, nothing else."""
    import struct
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return None
            phoff, = struct.unpack_from("<Q", head, 32)
            phentsize, phnum = struct.unpack_from("<HH", head, 54)
            f.seek(phoff)
            ph = f.read(phentsize * phnum)
            loads, dynamic = [], None
            for i in range(phnum):
                p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", ph, i * phentsize)
                if p_type == 1:  # PT_LOAD
                    loads.append((p_vaddr, p_offset, p_filesz))
                elif p_type == 2:  # PT_DYNAMIC
                    dynamic = (p_offset, p_filesz)
            if dynamic is None:
                return None
            f.seek(dynamic[0])
            data = f.read(dynamic[1])
            entries, strtab, strsz = [], None, 0
            for i in range(0, len(data) - 15, 16):
                tag, val = struct.unpack_from("<qQ", data, i)
                if tag == 0:  # DT_NULL
                    break
                if tag == 5:  # DT_STRTAB, an address
                    strtab = val
                elif tag == 10:  # DT_STRSZ
                    strsz = val
                elif tag in (1, 15, 29):  # DT_NEEDED, DT_RPATH, DT_RUNPATH
                    entries.append((tag, val))
            offset = next((strtab - v + o for v, o, n in loads
                           if strtab is not None and v <= strtab < v + n), None)
            if offset is None:
                return None
            f.seek(offset)
            strings = f.read(strsz)
    except (OSError, struct.error):
        return None

    def at(i):
        return strings[i:strings.find(b"\0", i)].decode("utf-8", "replace")
    needed = [at(v) for t, v in entries if t == 1]
    search = [d for t, v in entries if t != 1 for d in at(v).split(":") if d]
    return needed, search


def system_libraries():
    """The names the dynamic loader finds here without a path: its cache and default dirs."""
    names = set()
    for d in SYSTEM_LIB_DIRS:
        try:
            names.update(os.listdir(d))
        except OSError:
            pass
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        if os.access(ldconfig, os.X_OK):
            try:
                out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=60).stdout
            except (OSError, subprocess.SubprocessError):
                break
            for line in out.splitlines()[1:]:
                name = line.strip().split(" ", 1)[0]
                if name:
                    names.add(name)
            break
    return names


def is_shared_object(rel):
    base = os.path.basename(rel)
    return base.endswith(".so") or ".so." in base


def lacking_libraries(needed, search, origin, system, in_venv, exists):
    """The DT_NEEDED names of one object that are found nowhere: not known to the dynamic loader
    (SYSTEM), not a file of that name in the venv (IN_VENV, a library another module loads first
    is found by its name), not on its RPATH/RUNPATH (SEARCH, $ORIGIN being ORIGIN; EXISTS tells
    whether a path is there). One rule for a full venv step and a rebase."""
    dirs = [x.replace("${ORIGIN}", origin).replace("$ORIGIN", origin) for x in search]
    return [n for n in needed
            if not (n in system or n in in_venv or ("/" in n and exists(n))
                    or any(exists(os.path.join(x, n)) for x in dirs))]


def missing_libraries(venv, dists):
    """Marks each distribution whose shared objects need a library that is nowhere: not known to
    the dynamic loader here (in the venv step's container, that is the base image), not in the
    object's RPATH/RUNPATH, and no file of that name anywhere in the venv (a library another
    module loads first is found by its name). Such an object fails at import: libstdc++.so.6 for
    numpy on a base without it, libGL.so.1 for opencv-python. Adds "missingLibraries":
    [{"file", "needs"}] to those distributions only, and "objects": [{"file", "needed", "search"}]
    (each ELF object's DT_NEEDED and RPATH/RUNPATH as written) to every distribution with one, so
    that a rebase can check them on another base without the files; returns how many objects
    were read."""
    system = system_libraries()
    in_venv = set()
    for _, _, files in os.walk(venv):
        in_venv.update(files)
    read = 0
    for d in dists:
        found = []
        objects = []
        for rel in d["files"]:
            if not is_shared_object(rel):
                continue
            path = os.path.join(venv, rel)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            dyn = elf_dynamic(path)
            if dyn is None:
                continue
            read += 1
            needed, search = dyn
            objects.append({"file": rel, "needed": needed, "search": search})
            lacking = lacking_libraries(needed, search, os.path.dirname(path), system, in_venv,
                                        os.path.exists)
            if lacking:
                found.append({"file": rel, "needs": lacking})
        if found:
            d["missingLibraries"] = found
        if objects:
            d["objects"] = objects
    return read


def rebase_libraries(venv, recorded):
    """missing_libraries for a rebase: the objects a full venv step recorded (RECORDED: the
    previous manifest's distributions with their "objects" and "files"), checked against this
    base's loader. Paths inside the venv are looked up in the recorded file list, others here.
    Returns [{"name", "version", "missingLibraries"}] for every distribution, and the count."""
    system = system_libraries()
    files = set()
    for d in recorded:
        files.update(os.path.normpath(os.path.join(venv, f)) for f in d.get("files") or ())
    in_venv = set(os.path.basename(f) for f in files)
    for root, _, names in os.walk(venv):  # the new skeleton
        for n in names:
            files.add(os.path.normpath(os.path.join(root, n)))
            in_venv.add(n)

    def exists(path):
        path = os.path.normpath(path)
        return path in files if path.startswith(venv.rstrip("/") + "/") else os.path.exists(path)
    out, read = [], 0
    for d in recorded:
        found = []
        for o in d.get("objects") or ():
            read += 1
            origin = os.path.dirname(os.path.join(venv, o["file"]))
            lacking = lacking_libraries(o.get("needed") or [], o.get("search") or [], origin,
                                        system, in_venv, exists)
            if lacking:
                found.append({"file": o["file"], "needs": lacking})
        out.append({"name": d["name"], "version": d["version"], "missingLibraries": found})
    return out, read


def interpreter_id():
    """What a venv's distributions depend on in its interpreter: implementation, version, ABI
    (SOABI and the cache tag) and the interpreter's path. Equal ids: the venv's files run on
    either; a rebase keeps them and only copies the interpreter again."""
    import sysconfig
    return {
        "implementation": sys.implementation.name,
        "version": platform.python_version(),
        "soabi": sysconfig.get_config_var("SOABI"),
        "cacheTag": sys.implementation.cache_tag,
        "executable": os.path.realpath(sys.executable),
    }


def rebase_refusal(previous, now):
    """Why the venv of an interpreter PREVIOUS cannot be kept on one NOW (None: it can)."""
    for key, what in (("implementation", "implementation"), ("version", "version"),
                      ("soabi", "ABI"), ("cacheTag", "cache tag"), ("executable", "path")):
        if (previous or {}).get(key) != now.get(key):
            return "the interpreter's %s changed: %s -> %s" % (what, (previous or {}).get(key),
                                                               now.get(key))
    return None


def rebase(a, env, log_file):
    """The rebase (venv-mode REBASED): the distributions of the previous dependency image are kept
    as they are (its layers), so no pip: only a fresh venv skeleton from this base's interpreter,
    and the shared-library check of the recorded objects against this base's libraries. Returns
    the manifest's parts, or None with the reason logged when the interpreter differs (then the
    full step runs)."""
    try:
        with open(a.rebase, encoding="utf-8") as f:
            previous = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(EXIT_ENV, "cannot read the rebase input %s: %s" % (a.rebase, e))
    now = interpreter_id()
    refused = rebase_refusal(previous.get("interpreter"), now)
    if refused:
        return {"refused": refused}
    py = sys.executable
    empty_dir(a.venv)
    run([py, "-I", "-m", "venv", "--copies", "--without-pip", a.venv], env, "venv", log_file,
        python_error=True)
    remove_symlinks(a.venv)
    remove_pycache(a.venv)
    skeleton = []
    for root, dirs, files in os.walk(a.venv):
        dirs.sort()
        for n in files:
            skeleton.append(os.path.relpath(os.path.join(root, n), a.venv))
    t0 = time.monotonic()
    dists, objects = rebase_libraries(a.venv, previous.get("distributions") or [])
    lacking = sorted(set(n for d in dists for m in d["missingLibraries"] for n in m["needs"]))
    log("rebase: no pip; a new venv skeleton of %s %s; shared libraries of %d objects checked on"
        " this base%s (%.1fs)" % (now["executable"], now["version"], objects,
                                  "; not found: " + ", ".join(lacking) if lacking else "",
                                  time.monotonic() - t0))
    return {"from": previous.get("from"), "skeleton": sorted(skeleton), "distributions": dists,
            "record": previous.get("distributions") or []}


def python_info(venv):
    try:
        from pip._vendor.packaging import tags as ptags  # the base image's pip, same interpreter
        tags = [str(t) for t in ptags.sys_tags()]
    except Exception:  # pip missing or changed: a minimal, correct-but-short list
        v = "%d%d" % sys.version_info[:2]
        plat = re.sub(r"[-.]", "_", __import__("sysconfig").get_platform())
        tags = ["cp%s-cp%s-%s" % (v, v, plat), "cp%s-abi3-%s" % (v, plat), "cp%s-none-%s" % (v, plat),
                "py3-none-%s" % plat, "cp%s-none-any" % v, "py%s-none-any" % v, "py3-none-any"]
    return {
        "version": platform.python_version(),
        "implementation": sys.implementation.name,
        "cacheTag": sys.implementation.cache_tag,
        "tags": tags,
        "executable": os.path.realpath(sys.executable),
        "venvPython": os.path.join(venv, "bin", "python"),
        "interpreter": interpreter_id(),
    }


# ---------------------------------------------------------------- app


def app_backend(app):
    """(build-backend, importable in this interpreter?) of the app's pyproject (or setup.py)."""
    backend = "setuptools.build_meta:__legacy__"
    pyproject = os.path.join(app, "pyproject.toml")
    if os.path.isfile(pyproject):
        with open(pyproject, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"^\s*build-backend\s*=\s*[\"']([^\"']+)[\"']", text, re.M)
        if m:
            backend = m.group(1)
        elif re.search(r"^\s*\[build-system\]", text, re.M) is None and not os.path.isfile(
                os.path.join(app, "setup.py")):
            backend = "setuptools.build_meta:__legacy__"
    mod = backend.split(":")[0].split(".")[0]
    return backend, importlib.util.find_spec(mod) is not None


IGNORED_APP = {".git", ".hg", ".svn", "__pycache__", ".venv", ".tox", ".mypy_cache", ".pytest_cache"}


def copy_app_source(app, dst):
    def ignore(_, names):
        return [n for n in names if n in IGNORED_APP or n.endswith((".pyc", ".egg-info"))
                or n == "build"]
    shutil.copytree(app, dst, symlinks=False, ignore=ignore)


def is_package(app):
    return os.path.isfile(os.path.join(app, "pyproject.toml")) or os.path.isfile(
        os.path.join(app, "setup.py"))


def app_files(root):
    """The files of a plain-files app, relative to root, sorted: version control and cache
    directories (IGNORED_APP) and .pyc files left out, links followed, anything but a regular file
    skipped."""
    files = []
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_APP)
        for n in names:
            p = os.path.join(top, n)
            if n.endswith(".pyc") or not os.path.isfile(p):
                continue
            files.append(os.path.relpath(p, root))
    return sorted(files)


def copy_files(src, files, dst):
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
        shutil.copy2(os.path.join(src, rel), os.path.join(dst, rel))


def install_app(a, env, base_pip, venv_pip, sp_rel, log_file, work):
    app = os.path.abspath(a.app)
    if not os.path.isdir(app):
        raise Failure(EXIT_INPUT, "app directory not found: %s" % a.app)
    export = os.path.join(a.out, "app-files")
    empty_dir(export)  # kept: the build commands' runner may have it mounted at /app
    if not is_package(app):
        files = app_files(app)
        copy_files(app, files, export)
        log("app: %d plain files -> /app" % len(files))
        return {"kind": "files", "root": "/app", "files": files, "exported": "app-files"}

    if sp_rel is None:
        raise Failure(EXIT_INPUT, "app is a package but there is no venv at %s" % a.venv)
    src = os.path.join(work, "app-src")
    copy_app_source(app, src)
    dist_dir = os.path.join(work, "app-dist")
    os.makedirs(dist_dir)
    backend, available = app_backend(src)
    cmd = base_pip + ["wheel", "--no-deps", "--no-cache-dir", "--progress-bar", "off",
                      "--wheel-dir", dist_dir]
    if available:
        cmd += ["--no-index", "--no-build-isolation"]
        how = "%s from the base image, no build isolation" % backend
    elif a.index_url or a.find_links:
        cmd += index_args(a)
        how = "%s from the index (build isolation)" % backend
    else:
        raise Failure(EXIT_INPUT, "app build backend %s is not in the base image and no index was given"
                      % backend)
    log("app: building wheel with " + how)
    run(cmd + [src], env, "app wheel", log_file)
    built = [n for n in os.listdir(dist_dir) if n.endswith(".whl")]
    if len(built) != 1:
        raise Failure(EXIT_INPUT, "app build produced %d wheels" % len(built))
    wheel = os.path.join(dist_dir, built[0])
    app_name = parse_wheel_name(built[0])[0]
    run(venv_pip + ["install", "--no-deps", "--no-index", "--no-compile", "--no-cache-dir",
                    "--no-warn-script-location", "--force-reinstall", wheel],
        env, "app install", log_file)
    infos = [d for d in dist_infos(a.venv, sp_rel) if canonical(read_metadata(d)[0]) == app_name]
    if len(infos) != 1:
        raise Failure(EXIT_ENV, "app %s: cannot find its dist-info after install" % app_name)
    drop_direct_url(infos[0])
    # compile only the app's sources
    with open(os.path.join(infos[0], "RECORD"), encoding="utf-8", newline="") as f:
        srcs = sorted(os.path.normpath(os.path.join(a.venv, sp_rel, r[0])) for r in csv.reader(f)
                      if r and r[0].endswith(".py"))
    for s in srcs:
        remove_pycache_of(s)
    if srcs:
        compile_tree(os.path.join(a.venv, "bin", "python"), env, srcs, log_file)
    d = describe_dist(a.venv, sp_rel, infos[0], {(app_name, read_metadata(infos[0])[1]): wheel},
                      sys.implementation.cache_tag)
    for rel in d["files"]:
        dst = os.path.join(export, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(a.venv, rel), dst)
    return {"kind": "package", "root": a.venv, "name": d["name"], "version": d["version"],
            "wheel": d["wheel"], "files": d["files"], "sizeBytes": d["sizeBytes"],
            "exported": "app-files"}


def remove_pycache_of(src):
    d, base = os.path.split(src)
    pyc = os.path.join(d, "__pycache__", "%s.%s.pyc" % (base[:-3], sys.implementation.cache_tag))
    if os.path.exists(pyc):
        os.unlink(pyc)


# ---------------------------------------------------------------- build commands

BUILD_USER = "65532:65532"  # the release's user at run time (ImageSettings.DEFAULT_USER)
RUN_DIR = "/app"  # a plain-files app's path (and working directory) at run time
COMMANDS_TMP = "/tmp/pyrelease-commands"  # HOME and TMPDIR of the build commands, made fresh
COMMANDS_EPOCH = "315532800"  # SOURCE_DATE_EPOCH: 1980-01-01, the earliest date a zip file holds
TAIL_LINES = 20  # a failed command's last output lines in its error
TAIL_CHARS = 160  # of each


def load_commands(a):
    """The build commands: --build-commands FILE, else (--from-plan) the plan's buildCommands."""
    if a.build_commands:
        try:
            with open(a.build_commands, encoding="utf-8") as f:
                commands = json.load(f)
        except (OSError, ValueError) as e:
            raise Failure(EXIT_ENV, "cannot read the build commands %s: %s" % (a.build_commands, e))
    else:
        commands = getattr(a, "plan_commands", None) or []
    if not isinstance(commands, list):
        raise Failure(EXIT_INPUT, "build commands: not a list of commands")
    for i, argv in enumerate(commands, 1):
        if (not isinstance(argv, list) or not argv or not all(isinstance(x, str) for x in argv)
                or not argv[0].strip()):
            raise Failure(EXIT_INPUT, "build command %d is empty or not a list of strings: %s"
                          % (i, json.dumps(argv)))
    return commands


def shown(argv):
    return " ".join(shlex.quote(x) for x in argv)


def commands_env(venv, tmp):
    """What a build command sees: the run-time PATH (VENV/bin first) and VIRTUAL_ENV, a fresh HOME
    and TMPDIR, and settings that keep run-to-run noise out of what it writes. Nothing else is
    inherited: no PIP_*, no credentials."""
    venv_bin = os.path.join(venv, "bin")
    path = [p for p in os.environ.get("PATH", os.defpath).split(os.pathsep)
            if p and os.path.normpath(p) != venv_bin]
    return {
        "PATH": os.pathsep.join([venv_bin] + path),
        "VIRTUAL_ENV": venv,
        "HOME": os.path.join(tmp, "home"),
        "TMPDIR": os.path.join(tmp, "tmp"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": COMMANDS_EPOCH,
    }


def chown_tree(top, uid, gid):
    os.chown(top, uid, gid, follow_symlinks=False)
    for root, dirs, files in os.walk(top):
        for n in dirs + files:
            os.chown(os.path.join(root, n), uid, gid, follow_symlinks=False)


def run_command(i, n, argv, env, cwd, user):
    log("build command %d/%d: %s" % (i, n, shown(argv)))
    t0 = time.monotonic()
    extra = {} if user is None else {"user": user[0], "group": user[1], "extra_groups": []}
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **extra)
    except OSError as e:
        why = "not found" if isinstance(e, FileNotFoundError) else e.strerror
        if os.sep not in argv[0]:
            why += " (PATH %s)" % env["PATH"]
        raise Failure(EXIT_INPUT, "build command %d of %d cannot start: %s: %s"
                      % (i, n, argv[0], why))
    tail = collections.deque(maxlen=TAIL_LINES)
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        print(mask("  | " + line), file=sys.stderr, flush=True)
        tail.append(line if len(line) <= TAIL_CHARS else line[:TAIL_CHARS] + "…")
    code = proc.wait()
    if code != 0:
        how = "exit code %d" % code if code > 0 else "signal %d" % -code
        raise Failure(EXIT_INPUT, "build command %d of %d failed (%s): %s"
                      % (i, n, how, shown(argv)), ["  | " + l for l in tail])
    log("build command %d/%d: done in %.1fs" % (i, n, time.monotonic() - t0))


def materialize_links(top, venv):
    """An image holds no links: a link to a file of TOP or of the venv becomes a copy of it; any
    other link fails (it would put a file of the building machine into the image)."""
    roots = [os.path.realpath(top) + os.sep, os.path.realpath(venv) + os.sep]
    for root, dirs, files in os.walk(top):
        for name in sorted(dirs + files):
            p = os.path.join(root, name)
            if not os.path.islink(p):
                continue
            rel = os.path.relpath(p, top)
            target = os.path.realpath(p)
            if not os.path.exists(p):
                raise Failure(EXIT_INPUT, "the build commands left %s, a link to %s, which does not"
                              " exist" % (rel, os.readlink(p)))
            if not any(target.startswith(r) for r in roots):
                raise Failure(EXIT_INPUT, "the build commands left %s, a link to %s, outside the app"
                              " and the venv: write the file itself" % (rel, target))
            if os.path.isdir(target):
                raise Failure(EXIT_INPUT, "the build commands left %s, a link to the directory %s:"
                              " an image holds no links; copy the directory instead" % (rel, target))
            os.unlink(p)
            shutil.copy2(target, p)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]


def readable(top, files):
    """Every file readable by all (and executable by all when its owner may run it): the image
    runs the app as another user than the owner its layer gives the files."""
    for rel in files:
        p = os.path.join(top, rel)
        mode = stat.S_IMODE(os.stat(p).st_mode)
        want = mode | 0o444 | (0o111 if mode & 0o100 else 0)
        if want != mode:
            os.chmod(p, want)


def snapshot(top, files):
    out = {}
    for rel in files:
        st = os.stat(os.path.join(top, rel))
        out[rel] = (st.st_size, st.st_mtime_ns)
    return out


def run_build_commands(a, commands, export):
    """Runs the build commands on the app exported to EXPORT; returns the app's files after them."""
    if not commands:
        return app_files(export)
    run_dir = os.path.abspath(a.run_dir)
    if not os.path.isdir(run_dir):
        raise Failure(EXIT_ENV, "%s, where the build commands run, is not a directory" % run_dir)
    in_place = os.path.samefile(run_dir, export)
    if not in_place:
        empty_dir(run_dir)
        copy_files(export, app_files(export), run_dir)
    before = snapshot(run_dir, app_files(run_dir))
    user = None
    if os.geteuid() == 0:
        uid, gid = (int(x) for x in a.build_user.split(":"))
        user = (uid, gid)
    empty_dir(COMMANDS_TMP)
    env = commands_env(a.venv, COMMANDS_TMP)
    os.makedirs(env["HOME"])
    os.makedirs(env["TMPDIR"])
    os.umask(0o022)
    t0 = time.monotonic()
    if user:
        chown_tree(run_dir, *user)
        chown_tree(COMMANDS_TMP, *user)
    try:
        for i, argv in enumerate(commands, 1):
            run_command(i, len(commands), argv, env, run_dir, user)
    finally:
        if user:
            chown_tree(run_dir, 0, 0)
        empty_dir(COMMANDS_TMP)
    materialize_links(run_dir, a.venv)
    files = app_files(run_dir)
    readable(run_dir, files)
    after = snapshot(run_dir, files)
    if not in_place:
        empty_dir(export)
        copy_files(run_dir, files, export)
    log("build commands: %d in %.1fs; the app has %d files (%d new, %d changed, %d removed)" % (
        len(commands), time.monotonic() - t0, len(files), len(set(after) - set(before)),
        sum(1 for k in after if k in before and after[k] != before[k]),
        len(set(before) - set(after))))
    return files


def commands_only(a):
    """--commands-only: the build commands on OUT/app-files of an earlier run of this script."""
    commands = load_commands(a)
    if not commands:
        log("no build commands")
        return 0
    path = os.path.join(os.path.abspath(a.out), "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(EXIT_ENV, "cannot read %s (did the venv step run?): %s" % (path, e))
    app = manifest.get("app")
    require_plain_app(app)
    export = os.path.join(os.path.abspath(a.out), app.get("exported") or "app-files")
    app["files"] = run_build_commands(a, commands, export)
    content_mtimes(export)
    manifest["contentMtimes"] = sorted(set(manifest.get("contentMtimes") or []) | {"app-files"})
    write_manifest(manifest, a.out)
    return 0


def require_plain_app(app):
    if not app or app.get("kind") != "files":
        raise Failure(EXIT_INPUT, "build commands need a plain-files app: they run in /app, where"
                      " a plain-files app is at run time; a package app (pyproject.toml or setup.py)"
                      " is installed into the venv")


REBASE_RECORD = "pyrelease-rebase.json"


def write_rebase_record(manifest, out):
    """OUT/pyrelease-rebase.json, which goes into the dependency image beside the SBOM: the
    interpreter the venv's distributions were installed for, and their shared objects with what
    each needs, so that a later build on a patched base can keep their layers and check those
    objects against the new base's libraries without the files (a rebase)."""
    dists = []
    for d in manifest.get("distributions") or ():
        dists.append({
            "name": d["name"],
            "version": d["version"],
            "files": [f for f in d.get("files") or () if is_shared_object(f)],
            "objects": d.get("objects") or [],
        })
    if manifest.get("rebase", {}).get("from"):
        dists = manifest["rebase"]["record"]
    record = {"format": "pyrelease-rebase/v1", "interpreter": manifest["python"]["interpreter"],
              "distributions": sorted(dists, key=lambda d: canonical(d["name"]))}
    path = os.path.join(out, REBASE_RECORD)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    os.chmod(path, 0o644)


def interpreter_facts():
    """What a venv built by this interpreter relies on in the interpreter that runs it: its id
    (interpreter_id, what a rebase compares), the extension suffix, the platform, and the file
    itself (the venv holds a copy of it)."""
    import sysconfig
    facts = dict(interpreter_id())
    facts.update({
        "extSuffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "platform": sysconfig.get_platform(),
        "sha256": sha256_file(facts["executable"]),
    })
    return facts


RUN_INTERPRETER = "run-interpreter.json"
FACT_NAMES = (("executable", "interpreter path"), ("version", "version"),
              ("implementation", "implementation"), ("cacheTag", "cache tag"),
              ("soabi", "ABI (SOABI)"), ("extSuffix", "extension suffix"),
              ("platform", "platform"), ("sha256", "interpreter file sha256"))


def probe_interpreter(a):
    """--probe-interpreter: this image's interpreter facts into OUT/run-interpreter.json."""
    os.makedirs(a.out, exist_ok=True)
    facts = interpreter_facts()
    tmp = os.path.join(a.out, RUN_INTERPRETER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(facts, f, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(a.out, RUN_INTERPRETER))
    log("run image's interpreter: %s (Python %s, %s)" % (facts["executable"], facts["version"],
                                                          facts["soabi"]))
    return 0


def require_run_interpreter(a):
    """Before pip: the build image's interpreter (this one) must be the run image's, as
    --probe-interpreter found it there: the venv holds a copy of this interpreter (venv --copies)
    and its extension modules are built for this ABI, and both run in the run image."""
    path = os.path.join(a.out, RUN_INTERPRETER)
    try:
        with open(path, encoding="utf-8") as f:
            theirs = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(EXIT_ENV, "cannot read the run image's interpreter %s (did the interpreter"
                      " probe run in %s?): %s" % (path, a.run_image, e))
    mine = interpreter_facts()
    differ = ["%s %s in the build image, %s in the run image" % (label, mine.get(k), theirs.get(k))
              for k, label in FACT_NAMES if mine.get(k) != theirs.get(k)]
    if differ:
        raise Failure(EXIT_INPUT, "the build image %s and the run image %s do not share the"
                      " interpreter: %s. The venv is built with the build image's python3 and runs"
                      " with the run image's, so they must be the same build of Python: make the"
                      " build image from the run image (add compilers and headers to it), or unset"
                      " spec.python.buildImage" % (a.build_image or "(this image)", a.run_image,
                                                   "; ".join(differ)))
    log("the build image's interpreter is the run image's: %s (Python %s, %s, sha256 %s…)" % (
        mine["executable"], mine["version"], mine["soabi"], mine["sha256"][:12]))


def check_libraries(a):
    """--check-libraries (in the run image): the shared libraries of the venv's extension modules
    against this image's libraries; each distribution's missingLibraries in OUT/manifest.json is
    replaced by what is missing here."""
    path = os.path.join(a.out, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(EXIT_ENV, "cannot read %s (did the venv step run?): %s" % (path, e))
    dists = manifest.get("distributions")
    if dists is None:
        log("no venv was built here: no shared libraries to check")
        return 0
    for d in dists:
        d.pop("missingLibraries", None)
    t0 = time.monotonic()
    objects = missing_libraries(a.venv, dists)
    lacking = sorted(set(n for d in dists for m in d.get("missingLibraries", ()) for n in m["needs"]))
    log("shared libraries of %d objects checked in the run image%s (%.1fs)" % (
        objects, "; not found: " + ", ".join(lacking) if lacking else "", time.monotonic() - t0))
    write_manifest(manifest, a.out)
    return 0


def write_manifest(manifest, out):
    tmp = os.path.join(out, "manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, os.path.join(out, "manifest.json"))


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(prog="venv.py", description=__doc__.split("\n")[0])
    p.add_argument("--requirements", help="pinned requirements file (name==version [--hash=...])")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--index-url", help="PEP 503 simple index (pip --index-url)")
    g.add_argument("--find-links", action="append", help="pip --no-index --find-links (repeatable)")
    p.add_argument("--require-hashes", action="store_true")
    p.add_argument("--netrc", help="credentials for the index, netrc format (a mounted secret)")
    p.add_argument("--app", help="the app directory (a package, or plain files for /app)")
    p.add_argument("--venv", default="/opt/venv")
    p.add_argument("--wheels", help="wheel directory (emptied first; default OUT/wheels)")
    p.add_argument("--out", default=".", help="where manifest.json, pip.log, app-files/ go")
    p.add_argument("--app-only", action="store_true",
                   help="VENV exists (dependency image): only install the app")
    p.add_argument("--python-version", help="fail unless the interpreter is this X.Y")
    p.add_argument("--termination-log", metavar="FILE",
                   help="on failure, also write the error here (the build Job's"
                        " /dev/termination-log: the operator's Built condition shows it)")
    p.add_argument("--from-plan", metavar="PLAN",
                   help="take everything from the source step's plan.json (and venv-mode beside it)"
                        " in the shared workspace: requirements.txt, index, hashes, app, out, wheels"
                        " (and with --commands-only the build commands)")
    p.add_argument("--build-commands", metavar="FILE",
                   help="the release's build commands (a JSON list of argv lists), run after the"
                        " app is exported")
    p.add_argument("--commands-only", action="store_true",
                   help="only run the build commands on OUT/app-files of an earlier run")
    p.add_argument("--rebase", metavar="FILE",
                   help="keep the previous dependency image's distributions (FILE: its interpreter"
                        " and recorded shared objects): a fresh venv skeleton and the"
                        " shared-library check only, no pip; the full step when the interpreter"
                        " differs")
    p.add_argument("--run-dir", default=RUN_DIR,
                   help="where the build commands run: the app's path at run time (default /app)")
    p.add_argument("--build-user", default=BUILD_USER, metavar="UID:GID",
                   help="who runs the build commands when this script runs as root")
    p.add_argument("--probe-interpreter", action="store_true",
                   help="only write this image's interpreter to OUT/" + RUN_INTERPRETER
                        + " (run in the run image before the venv step runs in a build image)")
    p.add_argument("--run-image", metavar="IMAGE",
                   help="this is a build image building the venv for IMAGE: fail before pip unless"
                        " this interpreter is the one --probe-interpreter wrote; leave the"
                        " shared-library check to --check-libraries")
    p.add_argument("--build-image", metavar="IMAGE", help="this image's name, for messages")
    p.add_argument("--check-libraries", action="store_true",
                   help="only check the shared libraries of the venv's extension modules against"
                        " this image's (the run image) and update OUT/manifest.json")
    a = p.parse_args(argv)
    if a.from_plan:
        from_plan(a)
    if a.commands_only or a.probe_interpreter or a.check_libraries:
        return a
    if not a.app_only and not a.requirements:
        p.error("--requirements is required (unless --app-only)")
    if a.app_only and not a.app:
        p.error("--app-only needs --app")
    return a


def from_plan(a):
    """Fills the arguments from WORKSPACE/plan.json and WORKSPACE/venv-mode (build Job: the venv
    container runs `python3 /workspace/venv.py --from-plan /workspace/plan.json`)."""
    ws = os.path.dirname(os.path.abspath(a.from_plan))
    try:
        with open(a.from_plan, encoding="utf-8") as f:
            plan = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(EXIT_ENV, "cannot read the build plan %s: %s" % (a.from_plan, e))
    mode = "FULL"
    mode_file = os.path.join(ws, "venv-mode")
    if os.path.isfile(mode_file):
        with open(mode_file, encoding="utf-8") as f:
            mode = f.read().strip() or "FULL"
    a.mode = mode
    a.requirements = os.path.join(ws, "requirements.txt")
    a.index_url = plan.get("indexUrl")
    a.find_links = None if a.index_url else (plan.get("findLinks") or None)
    a.require_hashes = bool(plan.get("requireHashes"))
    a.python_version = a.python_version or plan.get("pythonVersion")
    a.app = os.path.normpath(os.path.join(ws, "src", plan.get("appPath") or "."))
    a.out = os.path.join(ws, "out")
    a.wheels = os.path.join(ws, "wheels")
    a.app_only = mode == "APP_ONLY"
    if mode == "REBASED":
        a.rebase = os.path.join(ws, "rebase.json")
    a.plan_commands = plan.get("buildCommands") or []
    if plan.get("buildImage"):
        a.run_image = a.run_image or pinned(plan.get("baseImage"), plan.get("baseImageDigest"))
        a.build_image = a.build_image or pinned(plan.get("buildImage"),
                                                plan.get("buildImageDigest"))


def pinned(reference, digest):
    """The reference as the build runs it (release.BaseImageRef.pinned)."""
    return reference if not digest or "@" in reference else reference + "@" + digest


def main(argv=None):
    a = parse_args(argv)
    a.venv = os.path.abspath(a.venv)
    if a.commands_only:
        return commands_only(a)
    if a.probe_interpreter:
        a.out = os.path.abspath(a.out)
        return probe_interpreter(a)
    if a.check_libraries:
        a.out = os.path.abspath(a.out)
        if getattr(a, "mode", "FULL") not in ("FULL", "FULL_REUSING"):
            log("no venv was built (venv-mode %s): no shared libraries to check" % a.mode)
            return 0
        return check_libraries(a)
    if getattr(a, "mode", None) == "NONE":
        log("nothing to do: the dependency image exists and the app is plain files (venv-mode NONE)")
        return 0
    for url in [a.index_url] + list(a.find_links or []):
        if url:
            pw = urllib.parse.urlsplit(url).password
            if pw:
                SECRETS.extend([pw, urllib.parse.unquote(pw)])
    t_start = time.monotonic()
    a.out = os.path.abspath(a.out)
    os.makedirs(a.out, exist_ok=True)
    log_file = os.path.join(a.out, "pip.log")
    open(log_file, "w").close()

    if a.python_version and "%d.%d" % sys.version_info[:2] != a.python_version:
        raise Failure(EXIT_INPUT, "the base image's interpreter is Python %s, the release wants %s:"
                      " use a base image with Python %s (spec.python.baseImage, or --base), or set"
                      " spec.python.version to \"%d.%d\""
                      % (platform.python_version(), a.python_version, a.python_version,
                         sys.version_info[0], sys.version_info[1]))
    if a.run_image and not a.app_only:
        require_run_interpreter(a)
    env = clean_env()
    if a.netrc:
        if not os.path.isfile(a.netrc):
            raise Failure(EXIT_ENV, "netrc file not found: %s" % a.netrc)
        env["NETRC"] = os.path.abspath(a.netrc)
    py = sys.executable
    base_pip = [py, "-I", "-m", "pip"] + PIP_GENERAL
    venv_python = os.path.join(a.venv, "bin", "python")
    venv_pip = [py, "-I", "-m", "pip", "--python", venv_python] + PIP_GENERAL
    work = tempfile.mkdtemp(prefix="pyrelease-venv-")
    try:
        manifest = {"python": python_info(a.venv), "venv": a.venv}
        rebased = rebase(a, env, log_file) if a.rebase and not a.app_only else None
        if rebased and rebased.get("refused"):
            log("rebase refused, full venv step: %s" % rebased["refused"])
            manifest["rebase"] = rebased
            rebased = None
        if rebased:
            manifest["rebase"] = {"from": rebased["from"], "record": rebased["record"]}
            # only the skeleton is written; the distributions stay in the previous image's layers
            sp_rel = site_packages_rel(a.venv)
            dists = None
            manifest["distributions"] = rebased["distributions"]
            manifest["skeletonFiles"] = rebased["skeleton"]
        elif not a.app_only:
            check_requirements(a.requirements)
            preflight(a)
            wheels_dir = os.path.abspath(a.wheels or os.path.join(a.out, "wheels"))
            empty_dir(wheels_dir)
            cmd = base_pip + ["wheel", "--no-deps", "--no-cache-dir", "--progress-bar", "off",
                              "--wheel-dir", wheels_dir] + index_args(a)
            if a.require_hashes:
                cmd.append("--require-hashes")
            run(cmd + ["-r", os.path.abspath(a.requirements)], env, "pip wheel", log_file)
            wheel_files = sorted(os.path.join(wheels_dir, n) for n in os.listdir(wheels_dir)
                                 if n.endswith(".whl"))
            wheels = {}
            for w in wheel_files:
                key = parse_wheel_name(os.path.basename(w))
                if key in wheels:
                    raise Failure(EXIT_INPUT, "two wheels for %s %s" % key)
                wheels[key] = w

            empty_dir(a.venv)
            run([py, "-I", "-m", "venv", "--copies", "--without-pip", a.venv], env, "venv", log_file,
                python_error=True)
            if wheel_files:
                run(venv_pip + ["install", "--no-deps", "--no-index", "--no-compile", "--no-cache-dir",
                                "--no-warn-script-location"] + wheel_files,
                    env, "pip install", log_file)
            sp_rel = site_packages_rel(a.venv)
            remove_symlinks(a.venv)
            for d in dist_infos(a.venv, sp_rel):
                drop_direct_url(d)
            remove_pycache(a.venv)
            compile_tree(venv_python, env, [os.path.join(a.venv, sp_rel)], log_file)
            dists = [describe_dist(a.venv, sp_rel, d, wheels, sys.implementation.cache_tag)
                     for d in dist_infos(a.venv, sp_rel)]
            missing = [d["name"] for d in dists if not d["wheel"]]
            if missing:
                raise Failure(EXIT_ENV, "installed distributions without a wheel: %s" % ", ".join(missing))
            if a.run_image:
                log("shared libraries: checked in the run image next (--check-libraries)")
            else:
                t0 = time.monotonic()
                objects = missing_libraries(a.venv, dists)
                lacking = sorted(set(n for d in dists for m in d.get("missingLibraries", ())
                                     for n in m["needs"]))
                log("shared libraries of %d objects checked%s (%.1fs)" % (
                    objects, "; not found: " + ", ".join(lacking) if lacking else "",
                    time.monotonic() - t0))
        else:
            # a plain-files app needs no venv; a package needs the dependency image's venv
            sp_rel = site_packages_rel(a.venv) if os.path.isfile(venv_python) else None
            dists = None

        app = None
        commands = load_commands(a) if a.build_commands else []
        if a.app:
            if commands and is_package(os.path.abspath(a.app)):
                require_plain_app({"kind": "package"})
            app = install_app(a, env, base_pip, venv_pip, sp_rel, log_file, work)
            if commands:
                app["files"] = run_build_commands(a, commands, os.path.join(a.out, "app-files"))
        elif commands:
            raise Failure(EXIT_INPUT, "build commands need the app (--app)")
        if dists is not None:
            owned = set(p for d in dists for p in d["files"])
            if app and app["kind"] == "package":
                owned.update(app["files"])
            skeleton = []
            for root, dirs, files in os.walk(a.venv):
                dirs.sort()
                for n in files:
                    rel = os.path.relpath(os.path.join(root, n), a.venv)
                    if rel not in owned:
                        skeleton.append(rel)
            manifest["distributions"] = sorted(dists, key=lambda d: canonical(d["name"]))
            manifest["skeletonFiles"] = sorted(skeleton)
        manifest["app"] = app
        t0 = time.monotonic()
        done = []
        if dists is not None or rebased:
            content_mtimes(a.venv)
            done.append("venv")
        if app is not None:
            content_mtimes(os.path.join(a.out, "app-files"))
            done.append("app-files")
        manifest["contentMtimes"] = done
        if dists is not None or rebased:
            write_rebase_record(manifest, a.out)
        log("file times from content (%s): %.1fs" % (", ".join(done) or "none", time.monotonic() - t0))
        write_manifest(manifest, a.out)
        log("done in %.1fs: %s" % (time.monotonic() - t_start, os.path.join(a.out, "manifest.json")))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


MESSAGE_BYTES = 3500  # of a termination message: the kubelet keeps 4096 bytes


def fail(message, code, argv, detail=()):
    """Reports a failure on stderr and, with --termination-log, in that file: DETAIL's lines (a
    build command's last output, already on stderr) then the message, the end kept when longer
    than MESSAGE_BYTES bytes."""
    print(message, file=sys.stderr)
    path = None
    for i, arg in enumerate(argv):
        if arg == "--termination-log" and i + 1 < len(argv):
            path = argv[i + 1]
        elif arg.startswith("--termination-log="):
            path = arg.split("=", 1)[1]
    if path:
        text = "\n".join(list(detail) + [message]).encode("utf-8")[-MESSAGE_BYTES:]
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.decode("utf-8", "ignore"))
        except OSError:
            pass  # the log still has it
    sys.exit(code)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        fail(mask("venv: error: %s" % e), e.code, sys.argv[1:], [mask(l) for l in e.detail])
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as e:
        fail(mask("venv: error: %s: %s" % (getattr(e, "filename", "") or "I/O", e.strerror or e)),
             EXIT_ENV, sys.argv[1:])
