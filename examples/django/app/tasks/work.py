"""What a task does, by kind: deterministic, so a test can check the result."""
import hashlib

# the web NOTIFYs this channel after queueing a task; idle workers LISTEN on it
NOTIFY_CHANNEL = "shop_tasks"


def _text(payload):
    if isinstance(payload.get("text"), str):
        return None
    return 'sha256 needs {"text": "..."}'


def _numbers(payload):
    numbers = payload.get("numbers")
    if isinstance(numbers, list) and all(
        isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers
    ):
        return None
    return 'sum needs {"numbers": [1, 2, ...]}'


# kind -> (what is wrong with a payload or None, what the worker computes)
KINDS = {
    "sha256": (_text, lambda p: {"sha256": hashlib.sha256(p["text"].encode()).hexdigest()}),
    "sum": (_numbers, lambda p: {"sum": sum(p["numbers"])}),
}


def problem(kind, payload):
    """Why a task cannot be queued, or None: checked by the web before it queues it."""
    if kind not in KINDS:
        return f"unknown kind {kind!r}; one of {sorted(KINDS)}"
    if not isinstance(payload, dict):
        return "payload must be a JSON object"
    return KINDS[kind][0](payload)


def run(kind, payload):
    return KINDS[kind][1](payload)
