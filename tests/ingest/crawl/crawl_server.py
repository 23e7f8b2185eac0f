"""A real HTTP server on 127.0.0.1 for the crawler tests: serves a folder of
sites, with robots.txt, ETag / Last-Modified and 304s, and per-path
behaviours (redirects, fixed statuses, a page that never answers). Every
request is logged with its time and headers, so tests assert on what the
crawler actually asked for."""
from __future__ import annotations

import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit


@dataclass
class Hit:
    at: float  # time.monotonic() when the request arrived
    path: str
    status: int
    user_agent: str = ""
    if_none_match: str = ""
    if_modified_since: str = ""


@dataclass
class SiteServer:
    root: Path
    robots: Optional[str] = None  # None: robots.txt is a 404
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location
    statuses: dict[str, int] = field(default_factory=dict)  # path -> status to answer with
    hang: set[str] = field(default_factory=set)  # paths that never answer
    throttle: dict[str, int] = field(default_factory=dict)  # path -> how many 429s (Retry-After: 1) first
    log: list[Hit] = field(default_factory=list)

    def start(self) -> "SiteServer":
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + "/" + path.lstrip("/")

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [h.path for h in self.log]

    def hits(self, prefix: str = "") -> list[Hit]:
        return [h for h in self.log if h.path.startswith(prefix)]

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.log.append(hit)


def _handler(server: SiteServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the SiteServer keeps its own log
            pass

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            arrived = time.monotonic()
            status = self._answer(path)
            server.record(Hit(arrived, path, status, self.headers.get("User-Agent", ""),
                              self.headers.get("If-None-Match", ""), self.headers.get("If-Modified-Since", "")))

        def _answer(self, path: str) -> int:
            if path in server.hang:
                server.release.wait(10)
                self.close_connection = True
                return 0
            if path == "/robots.txt":
                if server.robots is None:
                    return self._send(404, b"no robots.txt here", "text/plain")
                return self._send(200, server.robots.encode(), "text/plain")
            if server.throttle.get(path):
                server.throttle[path] -= 1
                return self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            if path in server.redirects:
                return self._send(302 if "loop" in path else 301, b"", "text/html",
                                  {"Location": server.redirects[path]})
            if path in server.statuses:
                return self._send(server.statuses[path], b"<html><body>error</body></html>", "text/html")
            file = (server.root / path.lstrip("/")).resolve()
            if server.root.resolve() not in file.parents or not file.is_file():
                return self._send(404, b"<html><body><h1>Page not found</h1></body></html>", "text/html")
            body = file.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = int(file.stat().st_mtime)
            headers = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
            if self._unchanged(etag, modified):
                return self._send(304, b"", None, headers)
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind == "text/html":
                kind += "; charset=utf-8"
            return self._send(200, body, kind, headers)

        def _unchanged(self, etag: str, modified: int) -> bool:
            match = self.headers.get("If-None-Match")
            if match:
                return etag in [m.strip() for m in match.split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return modified <= parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    return False
            return False

        def _send(self, status: int, body: bytes, kind: Optional[str], headers: Optional[dict] = None) -> int:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if kind and status != 304:
                self.send_header("Content-Type", kind)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
            return status

    return Handler
