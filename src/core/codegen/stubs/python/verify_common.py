# stub:drop The helpers every source's webhook_verify.py starts with (stubFill includes this file there).
import base64
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
