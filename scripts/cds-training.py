#!/usr/bin/env python3
"""Inputs for the operator image's class-data training run (see scripts/operator-image).

    cds-training.py DIR
    cds-training.py classlist IMAGE.tar LIST... > MERGED

Writes, under DIR, everything the build Job's `source` and `assemble` steps need to run once
without a network, a registry or a Python base image, so that the classes they load can be
recorded and archived (AppCDS):

    index/        a PEP 503 file:// index with one small pure wheel (made here, deterministic)
    app/          a plain-files app pinning that wheel with --hash (requirements.txt, app.py)
    rootfs.tar    a one-file root filesystem, for docker-archive.py to wrap as the base
    release.json  the PythonRelease (git source file:///w/repo, index file:///w/index/simple/)

The caller makes the git repository from app/ (when git is installed) and the base archive.

`classlist` merges the class lists the training runs recorded (-XX:DumpLoadedClassList), in order,
without duplicates, and drops each `@lambda-proxy` line that names a class of a signed jar in the
image (docker-save tar): the JVM never archives classes of signed jars (JGit's), and OpenJDK 17's
static dump crashes (SIGSEGV in adjust_lambda_proxy_class_dictionary) on a lambda proxy whose
classes it excluded.
"""
import base64
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import zipfile

NAME, VERSION = "cdstrain", "1.0"


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def wheel(path):
    info = f"{NAME}-{VERSION}.dist-info"
    files = {
        f"{NAME}/__init__.py": b"VALUE = 1\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: pyrelease\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    rows = "".join(f"{n},{record_hash(d)},{len(d)}\n" for n, d in files.items())
    files[f"{info}/RECORD"] = (rows + f"{info}/RECORD,,\n").encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, d in files.items():
            z.writestr(zipfile.ZipInfo(n, (1980, 1, 1, 0, 0, 0)), d)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(root):
    for d in ("index/files", f"index/simple/{NAME}", "app"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    whl = f"{NAME}-{VERSION}-py3-none-any.whl"
    sha = wheel(os.path.join(root, "index/files", whl))
    with open(os.path.join(root, "index/simple/index.html"), "w") as f:
        f.write(f'<a href="{NAME}/">{NAME}</a>\n')
    with open(os.path.join(root, f"index/simple/{NAME}/index.html"), "w") as f:
        f.write(f'<a href="../../files/{whl}#sha256={sha}">{whl}</a>\n')
    with open(os.path.join(root, "app/requirements.txt"), "w") as f:
        f.write(f"{NAME}=={VERSION} --hash=sha256:{sha}\n")
    with open(os.path.join(root, "app/app.py"), "w") as f:
        f.write(f"import {NAME}\nprint({NAME}.VALUE)\n")
    with tarfile.open(os.path.join(root, "rootfs.tar"), "w") as t:
        data = b"pyrelease class-data training base\n"
        entry = tarfile.TarInfo("etc/pyrelease-training")
        entry.size = len(data)
        t.addfile(entry, io.BytesIO(data))
    release = {
        "apiVersion": "pyrelease.dev/v1alpha1",
        "kind": "PythonRelease",
        "metadata": {"name": "training", "namespace": "default"},
        "spec": {
            "source": {"git": {"url": "file:///w/repo", "ref": "main"}, "path": "."},
            "requirements": {"file": "requirements.txt", "requireHashes": True},
            "index": {"url": "file:///w/index/simple/"},
            "python": {"version": "3.11"},
            "image": {"repository": "localhost/pyrelease-training/app"},
            "run": {"command": ["python", "app.py"], "port": 8000},
        },
    }
    with open(os.path.join(root, "release.json"), "w") as f:
        json.dump(release, f, sort_keys=True)


def signed_classes(image_tar):
    """Class names (a/b/C) in the image's jars that carry a signature (META-INF/*.SF)."""
    names = set()
    with tarfile.open(image_tar) as image:
        for member in image.getmembers():
            if not member.name.endswith(".tar.gz"):
                continue
            with tarfile.open(fileobj=image.extractfile(member), mode="r:gz") as layer:
                for entry in layer.getmembers():
                    if not (entry.isfile() and entry.name.endswith(".jar")):
                        continue
                    with zipfile.ZipFile(io.BytesIO(layer.extractfile(entry).read())) as jar:
                        files = jar.namelist()
                        if any(f.startswith("META-INF/") and f.endswith(".SF") for f in files):
                            names.update(f[:-6] for f in files if f.endswith(".class"))
    return names


def classlist(image_tar, lists):
    signed = signed_classes(image_tar)
    seen = set()
    for path in lists:
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#") or line in seen:
                    continue
                if line.startswith("@lambda-proxy") and signed.intersection(
                    re.findall(r"[A-Za-z0-9_$/]+", line)
                ):
                    continue
                seen.add(line)
                print(line)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "classlist":
        classlist(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
