"""A fake OneSignal REST API: a real HTTP server on 127.0.0.1 for the tests.

It accepts `POST /notifications` with `Authorization: Key <key>` and a JSON
body like the real API, records every request, and answers each one as
scripted (`fake.script(...)`), then with `fake.default` (200 unless changed).
Like OneSignal, it treats a repeated `idempotency_key` as the same
notification: same id, no second push. `pushes` counts the notifications it
actually created.

    with FakeOneSignal(app_id="app", api_key="key") as fake:
        fake.script(FakeOneSignal.hang(), FakeOneSignal.ok())
        ...
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REQUIRED = ("app_id", "include_aliases", "headings", "contents", "idempotency_key")


MAX_ALIASES = 2000


class FakeOneSignal:
    def __init__(self, app_id="fake-app-id", api_key="fake-rest-api-key"):
        self.app_id = app_id
        self.api_key = api_key
        self.requests = []
        self.notifications = {}  # idempotency key -> notification id
        self.created = []  # (notification id, payload) of every push really made
        self.replies = []
        self.default = self.ok()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- scripted answers -------------------------------------------------------------

    @staticmethod
    def ok():
        return {"kind": "ok"}

    @staticmethod
    def ok_with_errors(message="All included players are not subscribed"):
        return {"kind": "ok_with_errors", "errors": [message]}

    @staticmethod
    def bad_request(message="Message Notifications must have English language content"):
        return {"kind": "json", "status": 400, "body": {"errors": [message]}}

    @staticmethod
    def forbidden_empty():
        return {"kind": "empty", "status": 403}

    @staticmethod
    def too_many(retry_after=120):
        return {"kind": "json", "status": 429, "body": {"errors": ["API rate limit exceeded"]},
                "headers": {"Retry-After": str(retry_after)}}

    @staticmethod
    def server_error():
        return {"kind": "json", "status": 500, "body": {"errors": ["Internal server error"]}}

    @staticmethod
    def hang(seconds=5):
        """Create the notification, then answer too late (the client has given
        up): what a slow OneSignal looks like from the client."""
        return {"kind": "hang", "seconds": seconds}

    def script(self, *replies):
        with self.lock:
            self.replies.extend(replies)

    # -- what happened --------------------------------------------------------------

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    @property
    def pushes(self):
        with self.lock:
            return len(self.created)

    def requests_with_key(self, key):
        return [r for r in self.requests if (r["json"] or {}).get("idempotency_key") == str(key)]

    # -- lifecycle ------------------------------------------------------------------

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()  # wake hanging handlers
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- the API --------------------------------------------------------------------

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        request = {
            "method": handler.command,
            "path": handler.path,
            "headers": dict(handler.headers),
            "body": raw,
            "json": payload,
        }
        with self.lock:
            self.requests.append(request)

        if handler.path != "/notifications":
            return self._send(handler, 404, {"errors": [f"No route {handler.path}"]})
        if handler.command != "POST":
            return self._send(handler, 405, {"errors": ["Method not allowed"]})
        if handler.headers.get("Authorization") != f"Key {self.api_key}":
            return self._send(handler, 401, {"errors": [
                "Access denied.  Please include an 'Authorization: Key' header with a valid "
                "REST API key."
            ]})
        if not isinstance(payload, dict):
            return self._send(handler, 400, {"errors": ["Body must be JSON"]})
        missing = [name for name in REQUIRED if not payload.get(name)]
        if missing:
            return self._send(handler, 400, {"errors": [f"Missing {', '.join(missing)}"]})
        aliases = (payload.get("include_aliases") or {}).get("external_id") or []
        if len(aliases) > MAX_ALIASES:
            # OneSignal takes at most 2,000 entries per include_* list in one call.
            return self._send(handler, 400, {"errors": [
                f"include_aliases external_id: limit of {MAX_ALIASES} entries per request"
            ]})
        if payload["app_id"] != self.app_id:
            return self._send(handler, 400, {"errors": ["app_id not found"]})
        if not payload["include_aliases"].get("external_id"):
            return self._send(handler, 400, {"errors": ["include_aliases.external_id"]})

        with self.lock:
            reply = self.replies.pop(0) if self.replies else self.default
        kind = reply["kind"]
        if kind in ("ok", "hang"):
            notification_id = self._create(payload)
            if kind == "hang":
                self.stopping.wait(reply["seconds"])
            return self._send(handler, 200, {"id": notification_id})
        if kind == "ok_with_errors":
            return self._send(handler, 200, {"id": "", "errors": reply["errors"]})
        if kind == "empty":
            return self._send(handler, reply["status"], None)
        return self._send(handler, reply["status"], reply["body"], reply.get("headers"))

    def _create(self, payload):
        key = payload["idempotency_key"]
        with self.lock:
            if key not in self.notifications:
                notification_id = str(uuid.uuid4())
                self.notifications[key] = notification_id
                self.created.append((notification_id, payload))
            return self.notifications[key]

    def _send(self, handler, status, body, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type",
                                "text/plain" if body is None else "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:  # the client gave up (timeout): nobody to answer
            pass
