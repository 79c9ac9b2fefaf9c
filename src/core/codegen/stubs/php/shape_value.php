<?php // stub:drop The shape check of a payload that is a single value.
/** Why the payload is not a HoleRoot, or null when it has the captured shape. */
function webhook_shape_problem(array $received): ?string
{
    if ($received['format'] !== WEBHOOK_CAPTURED_FORMAT || !(HOLE_VALUE_CHECK)) {
        return 'a ' . $received['format'] . ' body, not ' . WEBHOOK_CAPTURED_FORMAT;
    }
    return null;
}
