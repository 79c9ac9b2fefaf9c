// Plain-PHP stubs (the language of Kaltura's own handler examples): a verification include per source, documented
// array shapes, the handler (a front script that also works as the `php -S` router) and a plain test script.
// PHP runs one process per request, so seen ids live in files created exclusively, not in memory.
import { phpLiteral } from '../literals';
import { emitPhpTypes } from '../emitTypes';
import type { GeneratedFile } from '../types';
import { describe, snakeName, userFunctionWords, verifyModuleSource, type StubContext } from './context';

const common = String.raw`
/**
 * @param array<string, string> $extraHeaders
 * @return array{status: int, headers: array<string, string>, body: string, accepted: list<array{dedupeKey: string, format: string, data: mixed}>, duplicates: int}
 */
function webhook_answer(int $status, string $body, array $extraHeaders = []): array
{
    $headers = array_merge(['Content-Type' => 'text/plain; charset=utf-8'], $extraHeaders);
    return ['status' => $status, 'headers' => $headers, 'body' => $body, 'accepted' => [], 'duplicates' => 0];
}

/** 200 at once; X-Handled-Count says how many notifications go to your code, X-Duplicate-Count how many were retries. */
function webhook_accept(array $accepted, int $duplicates): array
{
    $outcome = webhook_answer(200, 'OK', ['X-Handled-Count' => (string) count($accepted), 'X-Duplicate-Count' => (string) $duplicates]);
    $outcome['accepted'] = $accepted;
    $outcome['duplicates'] = $duplicates;
    return $outcome;
}

/**
 * Records an id as handled; false when it was already there (a retried delivery: answer 200, do not process again).
 * One file per id, created with mode "x" (fails if it exists), so two PHP workers cannot both claim an id.
 * In production prefer a table with a unique key on the id (INSERT fails for a duplicate) or Redis
 * "SET webhook:<id> 1 NX EX 86400", and expire old ids: Kaltura retries with the same id (3 attempts about
 * 60 s apart by default; legacy notifications 5 attempts 600 s apart), so keeping ids for a day is ample.
 */
function webhook_claim(string $key, string $dir): bool
{
    if (!is_dir($dir) && !@mkdir($dir, 0700, true) && !is_dir($dir)) {
        throw new RuntimeException("cannot create the seen-ids folder $dir; set WEBHOOK_SEEN_DIR to a writable folder");
    }
    $file = $dir . '/' . hash('sha256', $key);
    $handle = @fopen($file, 'x');
    if ($handle === false) {
        if (file_exists($file)) {
            return false;
        }
        throw new RuntimeException("cannot write to the seen-ids folder $dir; set WEBHOOK_SEEN_DIR to a writable folder");
    }
    fclose($handle);
    return true;
}

/** @param array<string, string> $env */
function webhook_seen_dir(array $env): string
{
    $dir = $env['WEBHOOK_SEEN_DIR'] ?? '';
    return $dir !== '' ? $dir : sys_get_temp_dir() . '/kaltura-webhook-seen';
}

/**
 * Form fields in order, keys exactly as sent (parse_str would mangle dots, spaces and brackets in keys).
 * @return list<array{0: string, 1: string}>
 */
function webhook_parse_form(string $body): array
{
    $pairs = [];
    foreach (explode('&', $body) as $part) {
        if ($part === '') {
            continue;
        }
        $eq = strpos($part, '=');
        $pairs[] = $eq === false ? [urldecode($part), ''] : [urldecode(substr($part, 0, $eq)), urldecode(substr($part, $eq + 1))];
    }
    return $pairs;
}

/** @return array<string, string> later duplicates win, as in PHP's own parsing */
function webhook_form_record(string $body): array
{
    $record = [];
    foreach (webhook_parse_form($body) as [$key, $value]) {
        $record[$key] = $value;
    }
    return $record;
}

/**
 * Request headers from $_SERVER, names lower-cased with dashes.
 * @return array<string, string>
 */
function webhook_request_headers(array $server): array
{
    $headers = [];
    foreach ($server as $key => $value) {
        $key = (string) $key;
        if (strncmp($key, 'HTTP_', 5) === 0) {
            $headers[strtolower(str_replace('_', '-', substr($key, 5)))] = (string) $value;
        }
    }
    if (isset($server['CONTENT_TYPE'])) {
        $headers['content-type'] = (string) $server['CONTENT_TYPE'];
    }
    return $headers;
}

/**
 * @param array<string, string> $env
 * @return list<string>
 */
function webhook_load_secrets(array $env): array
{
    $candidates = array_merge([$env['KALTURA_ADMIN_SECRET'] ?? ''], explode(',', $env['KALTURA_SECRETS'] ?? ''));
    $secrets = array_values(array_filter(array_map('trim', $candidates), static fn (string $s): bool => $s !== ''));
    if ($secrets === []) {
        throw new RuntimeException(
            'No Kaltura secret configured: set KALTURA_ADMIN_SECRET to the partner admin secret '
            . '(KMC > Settings > Integration Settings), or KALTURA_SECRETS to a comma-separated list of candidates.'
        );
    }
    return $secrets;
}
`;

const xmlReader = String.raw`
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
`;

const kalturaSpecific = String.raw`
/**
 * Reads the secrets from the environment; throws a message naming the variable to set.
 * @param array<string, string> $env
 */
function webhook_load_config(array $env): array
{
    return [
        'secrets' => webhook_load_secrets($env),
        // Accept requests without X-KALTURA-SIGNATURE (templates dispatched without a secret). Off by default.
        'allowUnsigned' => ($env['KALTURA_ALLOW_UNSIGNED'] ?? '') === '1',
        'seenDir' => webhook_seen_dir($env),
    ];
}

/**
 * X-KALTURA-SIGNATURE = hex(HASH(secret . raw body)), HASH from X-KALTURA-HASH-ALGO (sha1 when absent).
 * Returns why the request is not authentic, or null when it is.
 * @param array<string, string> $headers lower-case names
 */
function webhook_verify_kaltura_signature(array $headers, string $rawBody, array $config): ?string
{
    $signature = $headers['x-kaltura-signature'] ?? '';
    if ($signature === '') {
        return $config['allowUnsigned'] ? null : 'missing X-KALTURA-SIGNATURE';
    }
    $algorithm = strtolower(trim($headers['x-kaltura-hash-algo'] ?? 'sha1'));
    if (!in_array($algorithm, ['sha1', 'sha256', 'sha512'], true)) {
        return 'unsupported X-KALTURA-HASH-ALGO (expected sha1, sha256 or sha512)';
    }
    $received = strtolower(trim($signature));
    $matched = false;
    // Every candidate is tried, so the time taken does not tell which one matched.
    foreach ($config['secrets'] as $secret) {
        if (hash_equals(hash($algorithm, $secret . $rawBody), $received)) {
            $matched = true;
        }
    }
    return $matched ? null : 'X-KALTURA-SIGNATURE does not match the body';
}

/**
 * After verification: strips "data=", then decodes JSON, url-encoded JSON, XML, form fields or text.
 * @return array{format: string, data: mixed}
 */
function webhook_decode_kaltura_body(string $text, string $contentType): array
{
    if (trim($text) === '') {
        return ['format' => 'empty', 'data' => null];
    }
    if (strncmp($text, 'data=', 5) === 0) {
        $rest = substr($text, 5);
        if (preg_match('/^%(7B|5B)/i', $rest)) {
            return ['format' => 'json', 'data' => json_decode(urldecode($rest), true, 512, JSON_THROW_ON_ERROR)];
        }
        if (preg_match('/^\s*[\[{]/', $rest)) {
            return ['format' => 'json', 'data' => json_decode($rest, true, 512, JSON_THROW_ON_ERROR)];
        }
        if (preg_match('/^\s*</', $rest)) {
            return ['format' => 'xml', 'data' => webhook_parse_xml($rest)];
        }
        if (preg_match('/^%3C/i', $rest)) {
            return ['format' => 'xml', 'data' => webhook_parse_xml(urldecode($rest))];
        }
        if (strpos($rest, '&') === false) {
            return ['format' => 'text', 'data' => $rest];
        }
    }
    if (preg_match('/^\s*[\[{]/', $text)) {
        return ['format' => 'json', 'data' => json_decode($text, true, 512, JSON_THROW_ON_ERROR)];
    }
    if (preg_match('/^\s*</', $text)) {
        return ['format' => 'xml', 'data' => webhook_parse_xml($text)];
    }
    // Form fields win over the Content-Type: a DataFields template with contentType application/json still sends them.
    if (preg_match('/^[^=&\s{}<>]+=[^&]*(&[^=&]+=[^&]*)*$/D', $text)) {
        return ['format' => 'fields', 'data' => webhook_form_record($text)];
    }
    if (stripos($contentType, 'json') !== false) {
        return ['format' => 'json', 'data' => json_decode($text, true, 512, JSON_THROW_ON_ERROR)];
    }
    return ['format' => 'text', 'data' => $text];
}

/** Verify, decode, deduplicate. Independent of how the request arrived. */
function webhook_process(string $method, array $headers, string $rawBody, array $config): array
{
    $problem = webhook_verify_kaltura_signature($headers, $rawBody, $config);
    if ($problem !== null && $method === 'GET') {
        // A GET carries the body after a "?" that Kaltura appends to the template URL, which may have a query of
        // its own: the signed text is the query or one of its tails after a later "?" (at most 8 are tried).
        for ($at = strpos($rawBody, '?'), $tried = 0; $at !== false && $tried < 8; $at = strpos($rawBody, '?', $at + 1), $tried++) {
            if (webhook_verify_kaltura_signature($headers, substr($rawBody, $at + 1), $config) === null) {
                $rawBody = substr($rawBody, $at + 1);
                $problem = null;
                break;
            }
        }
    }
    if ($problem !== null) {
        return webhook_answer(401, 'rejected: ' . $problem);
    }
    try {
        $decoded = webhook_decode_kaltura_body($rawBody, $headers['content-type'] ?? '');
    } catch (JsonException | RuntimeException $e) {
        // Authentic but undecodable: a non-200 would only make Kaltura re-send the same bytes.
        error_log('[webhook] could not decode a verified notification: ' . $e->getMessage());
        $decoded = ['format' => 'text', 'data' => $rawBody];
    }
    // eventNotificationJobId is stable across retries; bodies without one fall back to a hash of the bytes.
    $jobId = is_array($decoded['data']) ? ($decoded['data']['eventNotificationJobId'] ?? null) : null;
    $key = (is_int($jobId) || (is_string($jobId) && $jobId !== '')) ? 'kaltura-job:' . $jobId : 'body-sha256:' . hash('sha256', $rawBody);
    if (!webhook_claim($key, $config['seenDir'])) {
        return webhook_accept([], 1);
    }
    return webhook_accept([['dedupeKey' => $key, 'format' => $decoded['format'], 'data' => $decoded['data']]], 0);
}
`;

const legacySpecific = String.raw`
/**
 * Reads the secrets from the environment; throws a message naming the variable to set.
 * @param array<string, string> $env
 */
function webhook_load_config(array $env): array
{
    return ['secrets' => webhook_load_secrets($env), 'seenDir' => webhook_seen_dir($env)];
}

/** PHP truthiness, which is how Kaltura's own notification client reads multi_notification. */
function webhook_php_truthy(?string $value): bool
{
    return $value !== null && $value !== '' && $value !== '0';
}

/**
 * sig = md5(secret . key1 . value1 . key2 . value2 ...) over the parameters sorted by key, "sig" excluded.
 * For a single notification only the keys listed in signed_fields count (as Kaltura's notification client checks).
 * @param array<string, string> $params
 */
function webhook_verify_legacy_sig(array $params, array $config): ?string
{
    $sig = $params['sig'] ?? '';
    if ($sig === '') {
        return 'missing sig parameter';
    }
    $signedFields = explode(',', $params['signed_fields'] ?? '');
    $multi = webhook_php_truthy($params['multi_notification'] ?? null);
    $signed = [];
    foreach ($params as $key => $value) {
        $key = (string) $key;
        if ($key === 'sig') {
            continue;
        }
        if ($multi || count($signedFields) <= 1 || in_array($key, $signedFields, true) || $key === 'multi_notification' || $key === 'number_of_notifications') {
            $signed[$key] = $value;
        }
    }
    ksort($signed, SORT_STRING);
    $text = '';
    foreach ($signed as $key => $value) {
        $text .= $key . $value;
    }
    $received = strtolower(trim($sig));
    $matched = false;
    foreach ($config['secrets'] as $secret) {
        if (hash_equals(md5($secret . $text), $received)) {
            $matched = true;
        }
    }
    return $matched ? null : 'sig does not match the parameters';
}

/**
 * One array per notification: the "notN_" groups of a multi-notification (prefix removed), or the single one.
 * @param array<string, string> $params
 * @return list<array<string, string>>
 */
function webhook_split_multi_notification(array $params): array
{
    if (!webhook_php_truthy($params['multi_notification'] ?? null)) {
        unset($params['sig'], $params['signed_fields']);
        return [$params];
    }
    $groups = [];
    foreach ($params as $key => $value) {
        if (preg_match('/^not(\d+)_(.*)$/s', (string) $key, $m)) {
            $groups[(int) $m[1]][$m[2]] = $value;
        }
    }
    ksort($groups);
    return array_values($groups);
}

/** Verify, split, deduplicate on notification_id. Independent of how the request arrived. */
function webhook_process(string $method, array $headers, string $rawBody, array $config): array
{
    $params = webhook_form_record($rawBody);
    $problem = webhook_verify_legacy_sig($params, $config);
    if ($problem !== null) {
        return webhook_answer(401, 'rejected: ' . $problem);
    }
    $accepted = [];
    $duplicates = 0;
    foreach (webhook_split_multi_notification($params) as $i => $fields) {
        $id = (string) ($fields['notification_id'] ?? '');
        $key = $id !== '' ? 'legacy-notification:' . $id : 'body-sha256:' . hash('sha256', $rawBody) . '#' . ($i + 1);
        if (webhook_claim($key, $config['seenDir'])) {
            $accepted[] = ['dedupeKey' => $key, 'format' => 'fields', 'data' => $fields];
        } else {
            $duplicates++;
        }
    }
    return webhook_accept($accepted, $duplicates);
}
`;

const enablexSpecific = String.raw`
/**
 * Reads the credentials from the environment; throws a message naming the variables to set.
 * @param array<string, string> $env
 */
function webhook_load_config(array $env): array
{
    $user = $env['ENABLEX_WEBHOOK_USER'] ?? '';
    $password = $env['ENABLEX_WEBHOOK_PASSWORD'] ?? '';
    if ($user === '' || $password === '') {
        throw new RuntimeException(
            'No EnableX webhook credentials configured: set ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD to the '
            . 'HTTP Authentication user and password set in the EnableX portal (Settings > Manage Configuration > Setup Webhook).'
        );
    }
    return ['user' => $user, 'password' => $password, 'seenDir' => webhook_seen_dir($env)];
}

/** EnableX video webhooks carry no signature; Basic auth is the only check, compared in constant time. */
function webhook_verify_basic_auth(array $headers, array $config): ?string
{
    if (!preg_match('/^Basic\s+([A-Za-z0-9+\/=]+)\s*$/i', $headers['authorization'] ?? '', $m)) {
        return 'missing Basic authorization';
    }
    $credentials = base64_decode($m[1], true);
    if ($credentials === false || strpos($credentials, ':') === false) {
        return 'malformed Basic credentials';
    }
    [$user, $password] = explode(':', $credentials, 2);
    $userOk = hash_equals($config['user'], $user);
    $passwordOk = hash_equals($config['password'], $password);
    return $userOk && $passwordOk ? null : 'wrong user name or password';
}

/** Verify, decode, deduplicate. EnableX payloads have no id, so the key is a hash of the exact body. */
function webhook_process(string $method, array $headers, string $rawBody, array $config): array
{
    $problem = webhook_verify_basic_auth($headers, $config);
    if ($problem !== null) {
        return webhook_answer(401, 'rejected: ' . $problem, ['WWW-Authenticate' => 'Basic realm="webhooks"']);
    }
    try {
        $decoded = ['format' => 'json', 'data' => json_decode($rawBody, true, 512, JSON_THROW_ON_ERROR)];
    } catch (JsonException $e) {
        error_log('[webhook] could not decode an authenticated EnableX body: ' . $e->getMessage());
        $decoded = ['format' => 'text', 'data' => $rawBody];
    }
    $key = 'enablex-body-sha256:' . hash('sha256', $rawBody);
    if (!webhook_claim($key, $config['seenDir'])) {
        return webhook_accept([], 1);
    }
    return webhook_accept([['dedupeKey' => $key, 'format' => $decoded['format'], 'data' => $decoded['data']]], 0);
}
`;

function phpIntro(what: string): string {
  return `<?php\n// Generated by Kaltura Webhook Workbench: ${what.replace(/\?>/g, '? >')}\ndeclare(strict_types=1);\n`;
}

export function phpVerifyModule(ctx: StubContext): string {
  const intro = phpIntro(`verification for a ${describe(ctx)}.`) +
    '// Verifies the raw bytes first, exactly as the workbench receiver does, then decodes; answers 200 at once.\n';
  return verifyModuleSource(ctx, intro, { common, xmlReader, kaltura: kalturaSpecific, legacy: legacySpecific, enablex: enablexSpecific });
}

function shapeCheck(ctx: StubContext): string {
  const root = ctx.model.root;
  if (root.kind === 'ref') {
    const type = ctx.model.types.find((t) => t.name === root.name);
    const required = (type?.fields ?? []).filter((f) => !f.optional).map((f) => phpLiteral(f.name));
    return String.raw`/** Top-level keys every payload of the captured shape has. */
const WEBHOOK_REQUIRED_KEYS = [${required.join(', ')}];

/** Why the payload is not a ${ctx.model.rootName}, or null when it has the captured shape. */
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
`;
  }
  const check = root.kind === 'string' ? 'is_string($received[\'data\'])' : root.kind === 'null' ? '$received[\'data\'] === null' : 'true';
  return String.raw`/** Why the payload is not a ${ctx.model.rootName}, or null when it has the captured shape. */
function webhook_shape_problem(array $received): ?string
{
    if ($received['format'] !== WEBHOOK_CAPTURED_FORMAT || !(${check})) {
        return 'a ' . $received['format'] . ' body, not ' . WEBHOOK_CAPTURED_FORMAT;
    }
    return null;
}
`;
}

function handler(ctx: StubContext): string {
  const root = ctx.model.rootName;
  const fn = snakeName(userFunctionWords[ctx.source]);
  const paramType = ctx.model.root.kind === 'ref' ? 'array' : ctx.model.root.kind === 'string' ? 'string' : 'mixed';
  return phpIntro(`a plain-PHP receiver for a ${describe(ctx)}.`) + String.raw`// Serve: KALTURA_ADMIN_SECRET=... php -S 0.0.0.0:8000 webhook_handler.php, or behind Apache/nginx + PHP-FPM.
// Included from the command line (php webhook_handler_test.php) it only defines its functions.

require_once __DIR__ . '/webhook_verify.php';
require_once __DIR__ . '/webhook_types.php';

const WEBHOOK_PATH = ${phpLiteral(ctx.path)};
const WEBHOOK_CAPTURED_FORMAT = ${phpLiteral(ctx.format)};

/**
 * YOUR CODE GOES HERE. Called once per new notification, after the 200 has been sent, so slow work here does
 * not make the sender time out and retry. Throwing only logs: the delivery has already been acknowledged.
 *
 * @param ${paramType} $notification shape: ${root} (see webhook_types.php)
 * @param array{dedupeKey: string, format: string, data: mixed} $received
 */
function ${fn}(${paramType} $notification, array $received): void
{
    // TODO: act on the notification (look up the object, enqueue a job, update your database...).
}

/** A payload of another shape than the captured one (another template, body format or event type). */
function webhook_on_unrecognized_payload(array $received, string $problem): void
{
    error_log('[webhook] ' . $received['dedupeKey'] . ': not a ${root} (' . $problem . ')');
}

${shapeCheck(ctx)}
/** Checks the payload has the captured shape, then calls your function. */
function webhook_dispatch(array $received): void
{
    $problem = webhook_shape_problem($received);
    if ($problem !== null) {
        webhook_on_unrecognized_payload($received, $problem);
        return;
    }
    ${fn}($received['data'], $received);
}

/** Sends the answer now and lets the work continue after it. */
function webhook_finish_response(): void
{
    ignore_user_abort(true);
    if (function_exists('fastcgi_finish_request')) {
        fastcgi_finish_request();
        return;
    }
    if (function_exists('litespeed_finish_request')) {
        litespeed_finish_request();
        return;
    }
    while (ob_get_level() > 0) {
        ob_end_flush();
    }
    flush();
}

function webhook_main(): void
{
    $path = (string) parse_url((string) ($_SERVER['REQUEST_URI'] ?? '/'), PHP_URL_PATH);
    if ($path !== WEBHOOK_PATH) {
        http_response_code(404);
        header('Content-Type: text/plain; charset=utf-8');
        echo 'not found';
        return;
    }
    $method = (string) ($_SERVER['REQUEST_METHOD'] ?? 'POST');
    // The raw bytes, read before anything parses them: the signature covers exactly these.
    $rawBody = $method === 'GET' ? (string) ($_SERVER['QUERY_STRING'] ?? '') : (string) file_get_contents('php://input');
    try {
        $env = getenv();
        $outcome = webhook_process($method, webhook_request_headers($_SERVER), $rawBody, webhook_load_config(is_array($env) ? $env : []));
    } catch (RuntimeException $e) {
        // Misconfiguration: a 500 makes the sender retry later, once the setting is fixed.
        error_log('[webhook] ' . $e->getMessage());
        http_response_code(500);
        header('Content-Type: text/plain; charset=utf-8');
        echo 'webhook not configured';
        return;
    }
    http_response_code($outcome['status']);
    foreach ($outcome['headers'] as $name => $value) {
        header($name . ': ' . $value);
    }
    header('Content-Length: ' . strlen($outcome['body']));
    echo $outcome['body'];
    webhook_finish_response();
    foreach ($outcome['accepted'] as $received) {
        try {
            webhook_dispatch($received);
        } catch (Throwable $e) {
            error_log('[webhook] ' . $received['dedupeKey'] . ' failed in ${fn}: ' . $e);
        }
    }
}

if (PHP_SAPI !== 'cli') {
    webhook_main();
}
`;
}

function typesModule(ctx: StubContext): string {
  return phpIntro(`payload shapes inferred from the ${describe(ctx)}.`) +
    '// Fields present in the sample are required; mark them optional ("key?:") as you meet other payloads.\n\n' +
    emitPhpTypes(ctx.model, { keepExampleValues: ctx.keepExampleValues });
}

function testScript(ctx: StubContext): string {
  const tamper = ctx.source === 'enablex'
    ? String.raw`$wrong = $headers;
$wrong['authorization'] = 'Basic ' . base64_encode('intruder:wrong');
$rejected = webhook_process($method, $wrong, $body, $config);
webhook_test_check($rejected['status'] === 401, 'wrong Basic credentials are rejected with 401');`
    : String.raw`$rejected = webhook_process($method, $headers, $body . ${ctx.source === 'kaltura-legacy' ? "'&notification_type=tampered'" : "' '"}, $config);
webhook_test_check($rejected['status'] === 401, 'a tampered body is rejected with 401');`;
  return phpIntro('checks the stub against the captured request.') + String.raw`// Run: php webhook_handler_test.php   (exit code 0 when every check passes)

require_once __DIR__ . '/webhook_handler.php';

$fixture = json_decode((string) file_get_contents(__DIR__ . '/fixtures/captured-request.json'), true, 512, JSON_THROW_ON_ERROR);
$env = $fixture['testEnv'];
$env['WEBHOOK_SEEN_DIR'] = sys_get_temp_dir() . '/webhook-test-' . bin2hex(random_bytes(6));
$config = webhook_load_config($env);
$method = $fixture['request']['method'];
$body = $fixture['request']['body'];
$expected = $fixture['expect']['notifications'];
$headers = array_change_key_case($fixture['request']['headers'], CASE_LOWER);
if (isset($env['ENABLEX_WEBHOOK_USER'])) {
    $headers['authorization'] = 'Basic ' . base64_encode($env['ENABLEX_WEBHOOK_USER'] . ':' . $env['ENABLEX_WEBHOOK_PASSWORD']);
}
$failures = 0;

function webhook_test_check(bool $ok, string $what): void
{
    global $failures;
    echo ($ok ? 'ok' : 'not ok') . ' - ' . $what . PHP_EOL;
    if (!$ok) {
        $failures++;
    }
}

try {
    $first = webhook_process($method, $headers, $body, $config);
    webhook_test_check($first['status'] === $fixture['expect']['status'], 'the captured request is answered ' . $fixture['expect']['status']);
    webhook_test_check($first['body'] !== '', 'the answer has a body');
    webhook_test_check(count($first['accepted']) === $expected, "$expected notification(s) handed to your code");
    foreach ($first['accepted'] as $received) {
        webhook_test_check(webhook_shape_problem($received) === null, $received['dedupeKey'] . ' has the captured shape');
    }
    $retry = webhook_process($method, $headers, $body, $config);
    webhook_test_check($retry['status'] === 200 && $retry['accepted'] === [] && $retry['duplicates'] === $expected, 'a retry is answered 200 and not handed over again');
    ${tamper}
} finally {
    foreach (glob($env['WEBHOOK_SEEN_DIR'] . '/*') ?: [] as $file) {
        unlink($file);
    }
    @rmdir($env['WEBHOOK_SEEN_DIR']);
}

exit($failures === 0 ? 0 : 1);
`;
}

export function phpFiles(ctx: StubContext): GeneratedFile[] {
  return [
    { path: 'webhook_handler.php', role: 'handler', contents: handler(ctx) },
    { path: 'webhook_verify.php', role: 'handler', contents: phpVerifyModule(ctx) },
    { path: 'webhook_types.php', role: 'handler', contents: typesModule(ctx) },
    { path: 'webhook_handler_test.php', role: 'test', contents: testScript(ctx) },
    { path: 'fixtures/captured-request.json', role: 'fixture', contents: ctx.fixtureJson },
  ];
}
