# stub:drop The shape check of a payload that is an object: its required keys.
REQUIRED_KEYS = HOLE_REQUIRED_KEYS


def shape_problem(received: ReceivedNotification) -> Optional[str]:
    """Why the payload is not a HoleRoot, or None when it has the captured shape."""
    if received.format != CAPTURED_FORMAT:
        return "a %s body, not %s" % (received.format, CAPTURED_FORMAT)
    if not isinstance(received.data, dict):
        return "not an object"
    missing = [key for key in REQUIRED_KEYS if key not in received.data]
    return "missing " + ", ".join(missing) if missing else None
