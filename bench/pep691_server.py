"""A PEP 691 JSON view of a PEP 503 file tree, for benchmarks: /simple/NAME/ answers JSON made
from NAME/index.html, every other path is served from the tree as python -m http.server does.
    python3 bench/pep691_server.py ROOT   (prints the port on its first line)"""
import html.parser
import http.server
import json
import os
import sys


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.files, self._attrs = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._attrs = dict(attrs)

    def handle_data(self, data):
        if self._attrs is not None:
            url, _, frag = self._attrs["href"].partition("#")
            f = {"filename": data.strip(), "url": url, "hashes": {}}
            if frag.startswith("sha256="):
                f["hashes"]["sha256"] = frag[len("sha256="):]
            if "data-requires-python" in self._attrs:
                f["requires-python"] = self._attrs["data-requires-python"]
            self.files.append(f)
            self._attrs = None


def handler(root):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=root, **kw)

        def do_GET(self):
            parts = self.path.split("?")[0].strip("/").split("/")
            page = os.path.join(root, "simple", parts[-1], "index.html")
            if len(parts) == 2 and parts[0] == "simple" and os.path.isfile(page):
                links = Links()
                with open(page, encoding="utf-8") as f:
                    links.feed(f.read())
                body = json.dumps({"meta": {"api-version": "1.0"}, "name": parts[1],
                                   "files": links.files}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

        def log_message(self, *a):
            pass

    return Handler


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(sys.argv[1]))
    print(server.server_address[1], flush=True)
    server.serve_forever()
