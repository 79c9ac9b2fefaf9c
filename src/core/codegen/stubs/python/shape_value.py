# stub:drop The shape check of a payload that is a single value.
def shape_problem(received: ReceivedNotification) -> Optional[str]:
    """Why the payload is not a HoleRoot, or None when it has the captured shape."""
    if received.format != CAPTURED_FORMAT or not isinstance(received.data, hole_value_type):
        return "a %s body, not %s" % (received.format, CAPTURED_FORMAT)
    return None
