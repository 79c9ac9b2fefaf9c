<?php // stub:drop The shape check of a payload that is an object: its required keys.
/** Top-level keys every payload of the captured shape has. */
const WEBHOOK_REQUIRED_KEYS = HOLE_REQUIRED_KEYS;

/** Why the payload is not a HoleRoot, or null when it has the captured shape. */
function webhook_shape_problem(array $received): ?string
{
    if ($received['format'] !== WEBHOOK_CAPTURED_FORMAT) {
        return 'a ' . $received['format'] . ' body, not ' . WEBHOOK_CAPTURED_FORMAT;
    }
    if (!is_array($received['data'])) {
        return 'not an object';
    }
    $missing = array_values(array_filter(WEBHOOK_REQUIRED_KEYS, static fn (string $key): bool => !array_key_exists($key, $received['data'])));
    return $missing === [] ? null : 'missing ' . implode(', ', $missing);
}
