"""Pure rules of integration: retry backoff and webhook signatures. No ORM, no clock: times are passed in.

Webhook signatures (documented for receivers in docs/webhooks.md): every delivery is a POST of a JSON body with the
header ``X-OMiC-Signature: t=<unix seconds>,v1=<hex>``, where ``v1`` is HMAC-SHA256, keyed with the subscription's
secret, of the bytes ``<t>.<body>``. A receiver recomputes it over the raw body, compares in constant time, and
refuses a timestamp more than five minutes from its own clock (a replayed delivery).
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-OMiC-Signature"
SIGNATURE_VERSION = "v1"
SIGNATURE_TOLERANCE_SECONDS = 5 * 60


def backoff_seconds(attempts: int, *, base: int, cap: int = 6 * 60 * 60) -> int:
    """Seconds to wait before the next try after ``attempts`` failed tries: base, 4×base, 16×base … capped."""
    if attempts < 1:
        return 0
    return min(cap, base * 4 ** (attempts - 1))


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The ``v1`` signature: hex HMAC-SHA256 of ``<timestamp>.<body>`` keyed with the secret."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={int(timestamp)},{SIGNATURE_VERSION}={signature(secret=secret, timestamp=timestamp, body=body)}"


def signature_valid(
    *, secret: str, header: str, body: bytes, now: int, tolerance: int = SIGNATURE_TOLERANCE_SECONDS
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and its timestamp is within ``tolerance`` of ``now``."""
    parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    given = parts.get(SIGNATURE_VERSION, "")
    if abs(now - timestamp) > tolerance or not given:
        return False
    return hmac.compare_digest(given, signature(secret=secret, timestamp=timestamp, body=body))
