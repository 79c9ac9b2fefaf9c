<?php // stub:drop The helpers every source's webhook_verify.php starts with (stubFill includes this file there).

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
