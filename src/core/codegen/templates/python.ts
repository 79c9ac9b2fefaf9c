// Python stubs: one verification module per source (shared by Flask, FastAPI and http.server), TypedDicts for the
// payload, the handler for the chosen framework and a unittest that starts the real server on a free port.
import { pyLiteral } from '../literals';
import { emitPythonTypes } from '../emitTypes';
import type { GeneratedFile } from '../types';
import { describe, snakeName, userFunctionWords, verifyModuleSource, type StubContext } from './context';

const common = String.raw`import base64
import hashlib
import hmac
import json
import logging
import os
import re
import threading
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

logger = logging.getLogger("webhook")


@dataclass
class ReceivedNotification:
    """One notification handed to your code after the 200 went out."""

    dedupe_key: str  # idempotency key: a retried delivery carries the same one
    format: str  # json | xml | fields | text | empty
    data: Any  # the decoded body: JSON value, XML as dicts, form fields, or text


@dataclass
class WebhookOutcome:
    status: int
    body: str
    headers: Dict[str, str]
    accepted: List[ReceivedNotification] = field(default_factory=list)
    duplicates: int = 0


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class SeenIds:
    """Ids already handled, so a retried delivery is answered 200 but processed once.

    Kept in memory here. In production keep them where every instance sees them and a restart keeps them:
    e.g. Redis "SET webhook:<id> 1 NX EX 86400" (fails for a duplicate) or a table with a unique key on the id.
    Kaltura retries with the same id (3 attempts about 60 s apart by default; legacy notifications 5 attempts
    600 s apart), so keeping ids for a day is ample.
    """

    def __init__(self, capacity: int = 10000) -> None:
        self._ids: "OrderedDict[str, None]" = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """Records the id; False when it was already there."""
        with self._lock:
            if key in self._ids:
                return False
            self._ids[key] = None
            if len(self._ids) > self._capacity:
                self._ids.popitem(last=False)
            return True


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _answer(status: int, body: str, extra_headers: Optional[Dict[str, str]] = None) -> WebhookOutcome:
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    headers.update(extra_headers or {})
    return WebhookOutcome(status=status, body=body, headers=headers)


def _accept(accepted: List[ReceivedNotification], duplicates: int) -> WebhookOutcome:
    """200 at once; X-Handled-Count says how many notifications go to your code, X-Duplicate-Count how many were retries."""
    outcome = _answer(200, "OK", {"X-Handled-Count": str(len(accepted)), "X-Duplicate-Count": str(duplicates)})
    outcome.accepted = accepted
    outcome.duplicates = duplicates
    return outcome


def parse_form(body: str) -> List[Tuple[str, str]]:
    """Form fields in order, keys exactly as sent; "+" is a space (PHP urldecode)."""
    return urllib.parse.parse_qsl(body, keep_blank_values=True, errors="replace")


def _load_secrets(env: Mapping[str, str]) -> List[str]:
    candidates = [env.get("KALTURA_ADMIN_SECRET", "")] + env.get("KALTURA_SECRETS", "").split(",")
    secrets = [s.strip() for s in candidates if s.strip()]
    if not secrets:
        raise RuntimeError(
            "No Kaltura secret configured: set KALTURA_ADMIN_SECRET to the partner admin secret "
            "(KMC > Settings > Integration Settings), or KALTURA_SECRETS to a comma-separated list of candidates."
        )
    return secrets
`;

const xmlReader = String.raw`

def parse_xml(text: str) -> Dict[str, Any]:
    """Reads notification XML into dicts: text-only elements become strings, repeated names lists."""
    # A DOCTYPE is refused, so no entity expansion can be abused.
    if "<!DOCTYPE" in text.upper():
        raise ValueError("XML with a DOCTYPE is refused")
    value = _element_value(ElementTree.fromstring(text))
    return value if isinstance(value, dict) else {}


def _element_value(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        text = element.text or ""
        return "" if text.strip() == "" else text
    obj: Dict[str, Any] = {}
    for child in children:
        value = _element_value(child)
        if child.tag not in obj:
            obj[child.tag] = value
        elif isinstance(obj[child.tag], list):
            obj[child.tag].append(value)
        else:
            obj[child.tag] = [obj[child.tag], value]
    return obj
`;

const kalturaSpecific = String.raw`

@dataclass
class WebhookConfig:
    secrets: List[str]  # the partner admin secret(s) and any signing secret you configured
    allow_unsigned: bool = False  # accept requests without X-KALTURA-SIGNATURE; off by default


def load_config(env: Optional[Mapping[str, str]] = None) -> WebhookConfig:
    """Reads the secrets from the environment; raises a message naming the variable to set."""
    env = os.environ if env is None else env
    return WebhookConfig(secrets=_load_secrets(env), allow_unsigned=env.get("KALTURA_ALLOW_UNSIGNED") == "1")


HASH_ALGORITHMS = ("sha1", "sha256", "sha512")


def verify_kaltura_signature(headers: Mapping[str, str], raw_body: bytes, config: WebhookConfig) -> Optional[str]:
    """X-KALTURA-SIGNATURE = hex(HASH(secret + raw body)), HASH from X-KALTURA-HASH-ALGO (sha1 when absent).

    Returns why the request is not authentic, or None when it is.
    """
    signature = headers.get("x-kaltura-signature", "")
    if signature == "":
        return None if config.allow_unsigned else "missing X-KALTURA-SIGNATURE"
    algorithm = headers.get("x-kaltura-hash-algo", "sha1").strip().lower()
    if algorithm not in HASH_ALGORITHMS:
        return "unsupported X-KALTURA-HASH-ALGO (expected sha1, sha256 or sha512)"
    received = signature.strip().lower()
    matched = False
    # Every candidate is tried, so the time taken does not tell which one matched.
    for secret in config.secrets:
        expected = hashlib.new(algorithm, secret.encode("utf-8") + raw_body).hexdigest()
        if constant_time_equal(expected, received):
            matched = True
    return None if matched else "X-KALTURA-SIGNATURE does not match the body"


def decode_kaltura_body(text: str, content_type: str) -> Tuple[str, Any]:
    """After verification: strips "data=", then decodes JSON, url-encoded JSON, XML, form fields or text."""
    if text.strip() == "":
        return "empty", None
    if text.startswith("data="):
        rest = text[5:]
        if re.match(r"%(7B|5B)", rest, re.I):
            return "json", json.loads(urllib.parse.unquote_plus(rest))
        if re.match(r"\s*[\[{]", rest):
            return "json", json.loads(rest)
        if re.match(r"\s*<", rest):
            return "xml", parse_xml(rest)
        if re.match(r"%3C", rest, re.I):
            return "xml", parse_xml(urllib.parse.unquote_plus(rest))
        if "&" not in rest:
            return "text", rest
    if re.match(r"\s*[\[{]", text):
        return "json", json.loads(text)
    if re.match(r"\s*<", text):
        return "xml", parse_xml(text)
    # Form fields win over the Content-Type: a DataFields template with contentType application/json still sends them.
    if re.fullmatch(r"[^=&\s{}<>]+=[^&]*(&[^=&]+=[^&]*)*", text):
        return "fields", dict(parse_form(text))
    if re.search("json", content_type, re.I):
        return "json", json.loads(text)
    return "text", text


def _kaltura_dedupe_key(data: Any, raw_body: bytes) -> str:
    """eventNotificationJobId is stable across retries; bodies without one fall back to a hash of the bytes."""
    if isinstance(data, dict):
        job_id = data.get("eventNotificationJobId")
        if isinstance(job_id, (int, str)) and not isinstance(job_id, bool) and str(job_id) != "":
            return "kaltura-job:" + str(job_id)
    return "body-sha256:" + _sha256_hex(raw_body)


def process_webhook(method: str, headers: Mapping[str, str], raw_body: bytes, config: WebhookConfig, seen: SeenIds) -> WebhookOutcome:
    """Verify, decode, deduplicate. Framework-independent: the handler only moves bytes in and out."""
    headers = {k.lower(): v for k, v in headers.items()}
    problem = verify_kaltura_signature(headers, raw_body, config)
    if problem is not None and method == "GET":
        # A GET carries the body after a "?" that Kaltura appends to the template URL, which may have a query of
        # its own: the signed text is the query or one of its tails after a later "?" (at most 8 are tried).
        at, tried = raw_body.find(b"?"), 0
        while at >= 0 and tried < 8:
            if verify_kaltura_signature(headers, raw_body[at + 1:], config) is None:
                raw_body, problem = raw_body[at + 1:], None
                break
            at, tried = raw_body.find(b"?", at + 1), tried + 1
    if problem is not None:
        return _answer(401, "rejected: " + problem)
    text = raw_body.decode("utf-8", errors="replace")
    try:
        body_format, data = decode_kaltura_body(text, headers.get("content-type", ""))
    except (ValueError, ElementTree.ParseError) as err:
        # Authentic but undecodable: a non-200 would only make Kaltura re-send the same bytes.
        logger.error("could not decode a verified notification: %s", err)
        body_format, data = "text", text
    dedupe_key = _kaltura_dedupe_key(data, raw_body)
    if not seen.claim(dedupe_key):
        return _accept([], 1)
    return _accept([ReceivedNotification(dedupe_key=dedupe_key, format=body_format, data=data)], 0)
`;

const legacySpecific = String.raw`

@dataclass
class WebhookConfig:
    secrets: List[str]  # the partner admin secret(s)


def load_config(env: Optional[Mapping[str, str]] = None) -> WebhookConfig:
    """Reads the secrets from the environment; raises a message naming the variable to set."""
    env = os.environ if env is None else env
    return WebhookConfig(secrets=_load_secrets(env))


def _php_truthy(value: Optional[str]) -> bool:
    """PHP truthiness, which is how Kaltura's own notification client reads multi_notification."""
    return value is not None and value not in ("", "0")


def verify_legacy_sig(params: Dict[str, str], config: WebhookConfig) -> Optional[str]:
    """sig = md5(secret + key1 + value1 + ...) over the parameters sorted by key, "sig" excluded.

    For a single notification only the keys listed in signed_fields count (as Kaltura's notification client checks).
    """
    sig = params.get("sig", "")
    if sig == "":
        return "missing sig parameter"
    signed_fields = params.get("signed_fields", "").split(",")
    multi = _php_truthy(params.get("multi_notification"))
    keys = sorted(
        (
            k
            for k in params
            if k != "sig"
            and (multi or len(signed_fields) <= 1 or k in signed_fields or k in ("multi_notification", "number_of_notifications"))
        ),
        key=lambda k: k.encode("utf-8"),
    )
    signed_text = "".join(k + params[k] for k in keys)
    received = sig.strip().lower()
    matched = False
    for secret in config.secrets:
        expected = hashlib.md5((secret + signed_text).encode("utf-8")).hexdigest()
        if constant_time_equal(expected, received):
            matched = True
    return None if matched else "sig does not match the parameters"


def split_multi_notification(params: Dict[str, str]) -> List[Dict[str, str]]:
    """One dict per notification: the "notN_" groups of a multi-notification (prefix removed), or the single one."""
    if not _php_truthy(params.get("multi_notification")):
        return [{k: v for k, v in params.items() if k not in ("sig", "signed_fields")}]
    groups: Dict[int, Dict[str, str]] = {}
    for key, value in params.items():
        match = re.match(r"not(\d+)_(.*)$", key, re.S)
        if match:
            groups.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [groups[index] for index in sorted(groups)]


def process_webhook(method: str, headers: Mapping[str, str], raw_body: bytes, config: WebhookConfig, seen: SeenIds) -> WebhookOutcome:
    """Verify, split, deduplicate on notification_id. Framework-independent."""
    params = dict(parse_form(raw_body.decode("utf-8", errors="replace")))
    problem = verify_legacy_sig(params, config)
    if problem is not None:
        return _answer(401, "rejected: " + problem)
    accepted: List[ReceivedNotification] = []
    duplicates = 0
    for index, fields in enumerate(split_multi_notification(params), start=1):
        notification_id = fields.get("notification_id", "")
        key = "legacy-notification:" + notification_id if notification_id else "body-sha256:%s#%d" % (_sha256_hex(raw_body), index)
        if seen.claim(key):
            accepted.append(ReceivedNotification(dedupe_key=key, format="fields", data=fields))
        else:
            duplicates += 1
    return _accept(accepted, duplicates)
`;

const enablexSpecific = String.raw`

@dataclass
class WebhookConfig:
    user: str  # the "HTTP Authentication" user name set in the EnableX portal
    password: str


def load_config(env: Optional[Mapping[str, str]] = None) -> WebhookConfig:
    """Reads the credentials from the environment; raises a message naming the variables to set."""
    env = os.environ if env is None else env
    user = env.get("ENABLEX_WEBHOOK_USER", "")
    password = env.get("ENABLEX_WEBHOOK_PASSWORD", "")
    if user == "" or password == "":
        raise RuntimeError(
            "No EnableX webhook credentials configured: set ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD to the "
            "HTTP Authentication user and password set in the EnableX portal (Settings > Manage Configuration > Setup Webhook)."
        )
    return WebhookConfig(user=user, password=password)


def verify_basic_auth(headers: Mapping[str, str], config: WebhookConfig) -> Optional[str]:
    """EnableX video webhooks carry no signature; Basic auth is the only check, compared in constant time."""
    match = re.match(r"Basic\s+([A-Za-z0-9+/=]+)\s*$", headers.get("authorization", ""), re.I)
    if not match:
        return "missing Basic authorization"
    try:
        credentials = base64.b64decode(match.group(1)).decode("utf-8", errors="replace")
    except ValueError:
        return "malformed Basic credentials"
    user, colon, password = credentials.partition(":")
    if not colon:
        return "malformed Basic credentials"
    user_ok = constant_time_equal(user, config.user)
    password_ok = constant_time_equal(password, config.password)
    return None if user_ok and password_ok else "wrong user name or password"


def process_webhook(method: str, headers: Mapping[str, str], raw_body: bytes, config: WebhookConfig, seen: SeenIds) -> WebhookOutcome:
    """Verify, decode, deduplicate. EnableX payloads have no id, so the key is a hash of the exact body."""
    headers = {k.lower(): v for k, v in headers.items()}
    problem = verify_basic_auth(headers, config)
    if problem is not None:
        return _answer(401, "rejected: " + problem, {"WWW-Authenticate": 'Basic realm="webhooks"'})
    text = raw_body.decode("utf-8", errors="replace")
    try:
        body_format, data = "json", json.loads(text)
    except ValueError as err:
        logger.error("could not decode an authenticated EnableX body: %s", err)
        body_format, data = "text", text
    key = "enablex-body-sha256:" + _sha256_hex(raw_body)
    if not seen.claim(key):
        return _accept([], 1)
    return _accept([ReceivedNotification(dedupe_key=key, format=body_format, data=data)], 0)
`;

function docHeader(title: string): string {
  return `"""${title.replace(/"""/g, "'''")}\n\nGenerated by Kaltura Webhook Workbench.\n"""\n`;
}

export function pythonVerifyModule(ctx: StubContext): string {
  const intro = docHeader(
    `Verification for a ${describe(ctx)}.\n\nVerifies the raw bytes first, exactly as the workbench receiver does, then decodes; answers 200 at once.`,
  );
  return verifyModuleSource(ctx, intro, { common, xmlReader, kaltura: kalturaSpecific, legacy: legacySpecific, enablex: enablexSpecific });
}

/** Python check that a decoded payload has the captured shape (TypedDicts do not check at run time). */
function shapeCheck(ctx: StubContext): string {
  const root = ctx.model.root;
  if (root.kind === 'ref') {
    const type = ctx.model.types.find((t) => t.name === root.name);
    const required = (type?.fields ?? []).filter((f) => !f.optional).map((f) => pyLiteral(f.name));
    return String.raw`REQUIRED_KEYS = (${required.join(', ')}${required.length === 1 ? ',' : ''})


def shape_problem(received: ReceivedNotification) -> Optional[str]:
    """Why the payload is not a ${ctx.model.rootName}, or None when it has the captured shape."""
    if received.format != CAPTURED_FORMAT:
        return "a %s body, not %s" % (received.format, CAPTURED_FORMAT)
    if not isinstance(received.data, dict):
        return "not an object"
    missing = [key for key in REQUIRED_KEYS if key not in received.data]
    return "missing " + ", ".join(missing) if missing else None
`;
  }
  const pyType = root.kind === 'string' ? 'str' : root.kind === 'null' ? 'type(None)' : 'object';
  return String.raw`def shape_problem(received: ReceivedNotification) -> Optional[str]:
    """Why the payload is not a ${ctx.model.rootName}, or None when it has the captured shape."""
    if received.format != CAPTURED_FORMAT or not isinstance(received.data, ${pyType}):
        return "a %s body, not %s" % (received.format, CAPTURED_FORMAT)
    return None
`;
}

function handlerCommon(ctx: StubContext, frameworkImports: string): string {
  const root = ctx.model.rootName;
  const fn = snakeName(userFunctionWords[ctx.source]);
  return String.raw`import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, cast

${frameworkImports}
from webhook_types import ${root}
from webhook_verify import ReceivedNotification, SeenIds, WebhookConfig, WebhookOutcome, load_config, process_webhook

logger = logging.getLogger("webhook")

WEBHOOK_PATH = ${pyLiteral(ctx.path)}
MAX_BODY_BYTES = 5 * 1024 * 1024
CAPTURED_FORMAT = ${pyLiteral(ctx.format)}


def ${fn}(notification: ${root}, received: ReceivedNotification) -> None:
    """YOUR CODE GOES HERE.

    Called once per new notification, after the 200 has been sent, so slow work here does not make the sender
    time out and retry. Raising only logs: the delivery has already been acknowledged.
    """
    # TODO: act on the notification (look up the object, enqueue a job, update your database...).


def on_unrecognized_payload(received: ReceivedNotification, problem: str) -> None:
    """A payload of another shape than the captured one (another template, body format or event type)."""
    logger.warning("%s: not a ${root} (%s)", received.dedupe_key, problem)


${shapeCheck(ctx)}

def dispatch_notification(received: ReceivedNotification) -> None:
    """Checks the payload has the captured shape, then calls your function; errors are logged."""
    try:
        problem = shape_problem(received)
        if problem is not None:
            on_unrecognized_payload(received, problem)
            return
        ${fn}(cast(${root}, received.data), received)
    except Exception:
        logger.exception("%s failed in ${fn}", received.dedupe_key)


_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook")


def hand_off(outcome: WebhookOutcome) -> None:
    """Queues accepted notifications for your code; the answer does not wait for them."""
    for received in outcome.accepted:
        _executor.submit(dispatch_notification, received)


def lower_headers(items: Any) -> Dict[str, str]:
    return {str(name).lower(): str(value) for name, value in items}


@dataclass
class RunningServer:
    port: int
    stop: Callable[[], None]
`;
}

const mainBlock = String.raw`

def main() -> None:
    logging.basicConfig(level=logging.INFO)
    try:
        config = load_config()
    except RuntimeError as err:
        raise SystemExit(str(err))
    host = os.environ.get("HOST", "0.0.0.0")
    running = start_server(host, int(os.environ.get("PORT", "8000")), config)
    print("listening on http://%s:%d%s" % (host, running.port, WEBHOOK_PATH), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        running.stop()


if __name__ == "__main__":
    main()
`;

function flaskHandler(ctx: StubContext): string {
  return docHeader(`A Flask receiver for a ${describe(ctx)}.\n\nRun: KALTURA_ADMIN_SECRET=... PORT=8000 python3 webhook_handler.py (see README.md).`) +
    handlerCommon(ctx, 'from flask import Flask, Response, request\nfrom werkzeug.serving import make_server') +
    String.raw`

def create_app(config: Optional[WebhookConfig] = None, seen: Optional[SeenIds] = None) -> Flask:
    config = load_config() if config is None else config
    seen = SeenIds() if seen is None else seen
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.route(WEBHOOK_PATH, methods=["GET", "POST", "PUT", "DELETE"])
    def webhook() -> Response:
        # get_data() before anything touches request.form: the signature covers these exact bytes.
        raw = request.query_string if request.method == "GET" else request.get_data()
        outcome = process_webhook(request.method, lower_headers(request.headers.items()), raw, config, seen)
        hand_off(outcome)
        return Response(outcome.body, status=outcome.status, headers=outcome.headers)

    return app


def start_server(host: str = "127.0.0.1", port: int = 0, config: Optional[WebhookConfig] = None, seen: Optional[SeenIds] = None) -> RunningServer:
    """Serves the app in a background thread (port 0 = any free port)."""
    server = make_server(host, port, create_app(config, seen), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(5)

    return RunningServer(port=server.server_port, stop=stop)
` + mainBlock;
}

function fastapiHandler(ctx: StubContext): string {
  return docHeader(`A FastAPI receiver for a ${describe(ctx)}.\n\nRun: KALTURA_ADMIN_SECRET=... PORT=8000 python3 webhook_handler.py (see README.md).`) +
    handlerCommon(ctx, 'import socket\nimport time\n\nimport uvicorn\nfrom fastapi import BackgroundTasks, FastAPI, Request, Response') +
    String.raw`

def create_app(config: Optional[WebhookConfig] = None, seen: Optional[SeenIds] = None) -> FastAPI:
    config = load_config() if config is None else config
    seen = SeenIds() if seen is None else seen
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.api_route(WEBHOOK_PATH, methods=["GET", "POST", "PUT", "DELETE"])
    async def webhook(request: Request, background: BackgroundTasks) -> Response:
        # The raw bytes, never a parsed model: the signature covers exactly these.
        raw = request.scope.get("query_string", b"") if request.method == "GET" else await request.body()
        if len(raw) > MAX_BODY_BYTES:
            return Response("body too large", status_code=413)
        outcome = process_webhook(request.method, lower_headers(request.headers.items()), raw, config, seen)
        for received in outcome.accepted:
            background.add_task(dispatch_notification, received)  # runs after the response is sent
        return Response(content=outcome.body, status_code=outcome.status, headers=outcome.headers)

    return app


def start_server(host: str = "127.0.0.1", port: int = 0, config: Optional[WebhookConfig] = None, seen: Optional[SeenIds] = None) -> RunningServer:
    """Serves the app with uvicorn in a background thread (port 0 = any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    server = uvicorn.Server(uvicorn.Config(create_app(config, seen), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(5)
        sock.close()

    return RunningServer(port=sock.getsockname()[1], stop=stop)
` + mainBlock;
}

function httpServerHandler(ctx: StubContext): string {
  return docHeader(`A standard-library http.server receiver for a ${describe(ctx)}.\n\nRun: KALTURA_ADMIN_SECRET=... PORT=8000 python3 webhook_handler.py (see README.md).`) +
    handlerCommon(ctx, 'from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer') +
    String.raw`

class WebhookHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Any, config: WebhookConfig, seen: SeenIds) -> None:
        super().__init__(address, WebhookRequestHandler)
        self.config = config
        self.seen = seen


class WebhookRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        path, _, query = self.path.partition("?")
        if path != WEBHOOK_PATH:
            self._send(404, "not found", {"Content-Type": "text/plain; charset=utf-8"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(413 if length > 0 else 400, "bad Content-Length", {"Content-Type": "text/plain; charset=utf-8"})
            return
        # Kaltura (curl) sends Content-Length; http.server does not decode chunked bodies.
        raw = query.encode("utf-8") if self.command == "GET" else self.rfile.read(length)
        server = cast(WebhookHTTPServer, self.server)
        outcome = process_webhook(self.command, lower_headers(self.headers.items()), raw, server.config, server.seen)
        self._send(outcome.status, outcome.body, outcome.headers)
        hand_off(outcome)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def _send(self, status: int, body: str, headers: Dict[str, str]) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def start_server(host: str = "127.0.0.1", port: int = 0, config: Optional[WebhookConfig] = None, seen: Optional[SeenIds] = None) -> RunningServer:
    """Serves in a background thread (port 0 = any free port)."""
    server = WebhookHTTPServer((host, port), load_config() if config is None else config, SeenIds() if seen is None else seen)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    return RunningServer(port=server.server_address[1], stop=stop)
` + mainBlock;
}

function typesModule(ctx: StubContext): string {
  return docHeader(`Payload types inferred from the ${describe(ctx)}.\n\nFields present in the sample are required; mark them NotRequired as you meet other payloads.`) +
    'from typing import Any, Dict, List, Optional, TypedDict, Union\n\n' +
    'try:\n    from typing import NotRequired\nexcept ImportError:  # Python < 3.11\n    from typing_extensions import NotRequired\n\n\n' +
    emitPythonTypes(ctx.model, { keepExampleValues: ctx.keepExampleValues });
}

function testModule(ctx: StubContext): string {
  const tamper = ctx.source === 'enablex'
    ? String.raw`
    def test_rejects_wrong_credentials(self) -> None:
        headers = dict(FIXTURE["request"]["headers"])
        headers["authorization"] = "Basic " + base64.b64encode(b"intruder:wrong").decode()
        status, _, _ = send(self.url, headers, BODY)
        self.assertEqual(status, 401)
`
    : String.raw`
    def test_rejects_tampered_body(self) -> None:
        status, _, _ = send(self.url, auth_headers(), BODY + ${ctx.source === 'kaltura-legacy' ? 'b"&notification_type=tampered"' : 'b" "'})
        self.assertEqual(status, 401)
`;
  return docHeader('Runs the stub for real against the captured request.\n\nRun: python3 -m unittest -v   (in this folder)') +
    String.raw`import base64
import json
import os
import unittest
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple

from webhook_handler import WEBHOOK_PATH, shape_problem, start_server
from webhook_verify import SeenIds, load_config, process_webhook

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "fixtures", "captured_request.json"), encoding="utf-8") as fixture_file:
    FIXTURE: Dict[str, Any] = json.load(fixture_file)
BODY: bytes = FIXTURE["request"]["body"].encode("utf-8")


def auth_headers() -> Dict[str, str]:
    headers = dict(FIXTURE["request"]["headers"])
    env = FIXTURE["testEnv"]
    if "ENABLEX_WEBHOOK_USER" in env:
        token = base64.b64encode((env["ENABLEX_WEBHOOK_USER"] + ":" + env["ENABLEX_WEBHOOK_PASSWORD"]).encode("utf-8"))
        headers["authorization"] = "Basic " + token.decode("ascii")
    return headers


def send(url: str, headers: Dict[str, str], body: bytes) -> Tuple[int, Any, str]:
    method = FIXTURE["request"]["method"]
    data: Optional[bytes] = body
    if method == "GET":
        url, data = url + "?" + body.decode("utf-8"), None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


class WebhookHandlerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = start_server("127.0.0.1", 0, load_config(FIXTURE["testEnv"]), SeenIds())
        self.url = "http://127.0.0.1:%d%s" % (self.server.port, WEBHOOK_PATH)

    def tearDown(self) -> None:
        self.server.stop()

    def test_accepts_captured_request_once(self) -> None:
        status, headers, text = send(self.url, auth_headers(), BODY)
        self.assertEqual(status, FIXTURE["expect"]["status"])
        self.assertNotEqual(text, "")
        self.assertEqual(headers["X-Handled-Count"], str(FIXTURE["expect"]["notifications"]))
        status, headers, _ = send(self.url, auth_headers(), BODY)
        self.assertEqual(status, 200)
        self.assertEqual(headers["X-Handled-Count"], "0")
        self.assertEqual(headers["X-Duplicate-Count"], str(FIXTURE["expect"]["notifications"]))
${tamper}
    def test_payload_has_captured_shape(self) -> None:
        outcome = process_webhook(FIXTURE["request"]["method"], auth_headers(), BODY, load_config(FIXTURE["testEnv"]), SeenIds())
        self.assertEqual(len(outcome.accepted), FIXTURE["expect"]["notifications"])
        for received in outcome.accepted:
            self.assertIsNone(shape_problem(received))


if __name__ == "__main__":
    unittest.main()
`;
}

/** What `pip install -r requirements.txt` needs per framework (http.server needs only the standard library). */
const requirements: Partial<Record<string, string>> = {
  flask: 'flask>=2.2,<4\n',
  fastapi: 'fastapi>=0.100\nuvicorn>=0.20\n',
};

export function pythonFiles(ctx: StubContext): GeneratedFile[] {
  const handler = ctx.framework === 'fastapi' ? fastapiHandler(ctx) : ctx.framework === 'http-server' ? httpServerHandler(ctx) : flaskHandler(ctx);
  return [
    { path: 'webhook_handler.py', role: 'handler', contents: handler },
    { path: 'webhook_verify.py', role: 'handler', contents: pythonVerifyModule(ctx) },
    { path: 'webhook_types.py', role: 'handler', contents: typesModule(ctx) },
    { path: 'test_webhook_handler.py', role: 'test', contents: testModule(ctx) },
    { path: 'fixtures/captured_request.json', role: 'fixture', contents: ctx.fixtureJson },
    ...(requirements[ctx.framework] ? [{ path: 'requirements.txt', role: 'project' as const, contents: requirements[ctx.framework]! }] : []),
  ];
}
