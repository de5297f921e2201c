#!/usr/bin/env python3
"""Wrap a rootfs tarball as a one-layer docker-save archive (docker-archive / Jib TarImage base).

    docker-archive.py [--tag python:3.11-bookworm] ROOTFS.tar OUT.tar
    docker-archive.py --print-config-digest OUT.tar

Deterministic: the same rootfs gives a byte-identical archive (fixed created time, fixed tar
headers, sorted JSON keys). The layer is stored uncompressed, so its sha256 is its diff_id.
"""
import argparse
import hashlib
import io
import json
import os
import sys
import tarfile

CREATED = "1970-01-01T00:00:00Z"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def entry(name, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def dump(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def wrap(rootfs, out, tag):
    layer = sha256_file(rootfs)
    config = dump({
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": {"Env": ["PATH=" + PATH, "LANG=C.UTF-8"], "Cmd": ["python3"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer]},
        "history": [{"created": CREATED, "created_by": "mmdebstrap (pyrelease scripts/testenv)"}],
    })
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = dump([{"Config": config_name, "RepoTags": [tag], "Layers": [layer + "/layer.tar"]}])
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        d = entry(layer, 0)
        d.type = tarfile.DIRTYPE
        d.mode = 0o755
        tar.addfile(d)
        with open(rootfs, "rb") as f:
            tar.addfile(entry(layer + "/layer.tar", os.path.getsize(rootfs)), f)
        tar.addfile(entry(config_name, len(config)), io.BytesIO(config))
        tar.addfile(entry("manifest.json", len(manifest)), io.BytesIO(manifest))


def config_digest(archive):
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    return "sha256:" + manifest[0]["Config"][: -len(".json")]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tag", default="python:3.11-bookworm")
    p.add_argument("--print-config-digest", action="store_true")
    p.add_argument("paths", nargs="+")
    a = p.parse_args()
    if a.print_config_digest:
        print(config_digest(a.paths[0]))
    elif len(a.paths) == 2:
        wrap(a.paths[0], a.paths[1], a.tag)
    else:
        p.error("need ROOTFS.tar OUT.tar")


if __name__ == "__main__":
    sys.exit(main())
