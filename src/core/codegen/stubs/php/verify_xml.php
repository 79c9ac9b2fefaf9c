<?php // stub:drop The XML reader of Kaltura's webhook_verify.php: only HTTP notifications can come as XML.

/**
 * Reads notification XML into arrays: text-only elements become strings, repeated names lists; attributes,
 * comments and DOCTYPEs are ignored (no entity expansion). Needs no XML extension.
 * @return array<string, mixed>
 */
function webhook_parse_xml(string $xml): array
{
    $pattern = '/<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s\/>]+)((?:\s+[^\s=\/>]+\s*=\s*(?:"[^"]*"|\'[^\']*\'))*)\s*(\/?)>|([^<]+)/';
    if (preg_match_all($pattern, $xml, $matches, PREG_SET_ORDER | PREG_OFFSET_CAPTURE | PREG_UNMATCHED_AS_NULL) === false) {
        throw new RuntimeException('malformed XML');
    }
    $stack = [['name' => '#root', 'children' => [], 'text' => '']];
    $consumed = 0;
    foreach ($matches as $m) {
        if ($m[0][1] !== $consumed) {
            throw new RuntimeException('unexpected "<" at offset ' . $consumed);
        }
        $consumed += strlen($m[0][0]);
        $top = count($stack) - 1;
        if (($m[1][0] ?? null) !== null) {
            $stack[$top]['text'] .= $m[1][0];
        } elseif (($m[6][0] ?? null) !== null) {
            $stack[$top]['text'] .= html_entity_decode($m[6][0], ENT_QUOTES | ENT_XML1, 'UTF-8');
        } elseif (($m[3][0] ?? null) !== null) {
            if (($m[5][0] ?? '') === '/') {
                $stack[$top]['children'][] = [$m[3][0], ''];
            } else {
                $stack[] = ['name' => $m[3][0], 'children' => [], 'text' => ''];
            }
        } elseif (($m[2][0] ?? null) !== null) {
            if ($stack[$top]['name'] !== $m[2][0]) {
                throw new RuntimeException('</' . $m[2][0] . '> does not match <' . $stack[$top]['name'] . '>');
            }
            $frame = array_pop($stack);
            $stack[count($stack) - 1]['children'][] = [$frame['name'], webhook_xml_value($frame)];
        }
    }
    if ($consumed !== strlen($xml) || count($stack) !== 1 || count($stack[0]['children']) !== 1) {
        throw new RuntimeException('malformed XML');
    }
    $value = $stack[0]['children'][0][1];
    return is_array($value) ? $value : [];
}

/** @return mixed */
function webhook_xml_value(array $frame)
{
    if ($frame['children'] === []) {
        return trim($frame['text']) === '' ? '' : $frame['text'];
    }
    $obj = [];
    foreach ($frame['children'] as [$name, $value]) {
        if (!array_key_exists($name, $obj)) {
            $obj[$name] = $value;
        } elseif (is_array($obj[$name]) && array_is_list($obj[$name])) {
            $obj[$name][] = $value;
        } else {
            $obj[$name] = [$obj[$name], $value];
        }
    }
    return $obj;
}
