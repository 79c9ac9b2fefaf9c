// Pure pieces of the tunnel module: subdomain rule, backoff, probe classification and URLs, messages.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  assertValidLocaltunnelSubdomain,
  classifyProbeAnswer,
  fullJitterDelay,
  grantTimeoutMessage,
  isValidLocaltunnelSubdomain,
  probeUrlFor,
  TUNNEL_BYPASS_HEADERS,
} from '../../../src/core/tunnel';
import { localHostOption } from '../../../src/core/tunnel/localtunnelConnection';
import { SERVER_SUBDOMAIN_PATTERN } from '../../support/fakeLocaltunnelServer';

describe('subdomain rule', () => {
  test('matches the server regex on examples from both sides of the boundary', () => {
    // The regex's quirks: plain ids take 4–63 characters, ids with a hyphen 6–65.
    for (const ok of ['abcd', 'kaltura-dev', 'a1-2bc', 'x'.repeat(63), 'x'.repeat(65), `a${'-'.repeat(10)}b`, '0000']) {
      assert.equal(isValidLocaltunnelSubdomain(ok), true, ok);
    }
    for (const bad of ['ab', 'abc', 'a1-2b', '-abcd', 'abcd-', 'Abcd', 'kaltura_dev', 'a.bcd', '', 'x'.repeat(66), 'abc d']) {
      assert.equal(isValidLocaltunnelSubdomain(bad), false, bad);
    }
  });

  test('agrees with the (independently written) fake server on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab9-_A.'.split('')), maxLength: 70 }), (s) => {
        assert.equal(isValidLocaltunnelSubdomain(s), SERVER_SUBDOMAIN_PATTERN.test(s));
      }),
    );
  });

  test('the error names the value and the rule', () => {
    assert.throws(() => assertValidLocaltunnelSubdomain('ab'), /invalid tunnel subdomain "ab": use 4–63 lowercase letters, digits and hyphens/);
    assert.equal(assertValidLocaltunnelSubdomain('abcd'), 'abcd');
  });
});

describe('full-jitter backoff', () => {
  test('stays within [0, min(cap, base·2^attempt)) and grows to the cap', () => {
    fc.assert(
      fc.property(fc.nat(80), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = fullJitterDelay(attempt, { baseMs: 500, capMs: 30_000, random: () => r });
        assert.ok(d >= 0 && d < Math.min(30_000, 500 * 2 ** attempt), `${attempt} ${r} -> ${d}`);
        assert.ok(Number.isFinite(d));
      }),
    );
    const top = (attempt: number) => fullJitterDelay(attempt, { baseMs: 500, capMs: 30_000, random: () => 0.999999 });
    assert.equal(top(0), 499);
    assert.equal(top(3), 3999);
    assert.equal(top(10), 29_999);
    assert.equal(fullJitterDelay(2, { random: () => 0 }), 0);
  });
});

describe('probe answers are named', () => {
  const nonce = 'abc123';
  test('echo is success; anything else gets a kind', () => {
    assert.equal(classifyProbeAnswer(200, {}, `kwh-probe ${nonce}`, nonce), undefined);
    assert.equal(classifyProbeAnswer(200, { 'x-kwh-probe': nonce }, '', nonce), undefined);
    assert.equal(classifyProbeAnswer(401, { 'content-type': 'text/html' }, '<html>Friendly Reminder</html>', nonce)?.kind, 'reminder-page');
    assert.equal(classifyProbeAnswer(401, { 'content-type': 'application/json' }, '{"error":"auth"}', nonce)?.kind, 'http-status');
    assert.equal(classifyProbeAnswer(503, { 'x-localtunnel-status': 'Tunnel Unavailable' }, '', nonce)?.kind, 'tunnel-unavailable');
    assert.equal(classifyProbeAnswer(503, {}, 'down', nonce)?.kind, 'http-status');
    assert.equal(classifyProbeAnswer(504, {}, '', nonce)?.kind, 'gateway-timeout');
    assert.equal(classifyProbeAnswer(502, {}, '', nonce)?.kind, 'bad-gateway');
    assert.equal(classifyProbeAnswer(200, {}, 'OK', nonce)?.kind, 'nonce-mismatch');
    assert.match(classifyProbeAnswer(404, {}, '', nonce)!.message, /HTTP 404/);
  });

  test('probe URL keeps a base path (reverse proxies) and drops query and fragment', () => {
    assert.equal(probeUrlFor('https://abc.loca.lt', 'n1'), 'https://abc.loca.lt/__kwh/probe/n1');
    assert.equal(probeUrlFor('https://proxy.example/hooks/', 'n1'), 'https://proxy.example/hooks/__kwh/probe/n1');
    assert.equal(probeUrlFor('https://proxy.example/hooks?x=1#y', 'n1'), 'https://proxy.example/hooks/__kwh/probe/n1');
  });
});

describe('constants and messages', () => {
  test('TUNNEL_BYPASS_HEADERS is the key/value list Kaltura customHeaders take', () => {
    assert.deepEqual(TUNNEL_BYPASS_HEADERS, [{ key: 'Bypass-Tunnel-Reminder', value: '1' }]);
    assert.ok(Object.isFrozen(TUNNEL_BYPASS_HEADERS));
  });

  test('the connect timeout message names the server, the time, the real cause and the fix', () => {
    const lt = 'https://localtunnel.me';
    const offline = grantTimeoutMessage(lt, 15_000, 'ENOTFOUND: getaddrinfo ENOTFOUND localtunnel.me');
    assert.equal(
      offline,
      'tunnel server https://localtunnel.me did not grant a tunnel within 15 s: this machine cannot resolve localtunnel.me (ENOTFOUND): ' +
        'there is no network connection, or DNS is blocked here; check the connection and retry, or use a public URL you already have, or VS Code port forwarding',
    );
    assert.doesNotMatch(offline, /subdomain/, 'an offline machine is not told to check the subdomain');
    assert.match(grantTimeoutMessage(lt, 15_000, 'EAI_AGAIN: getaddrinfo EAI_AGAIN localtunnel.me'), /cannot resolve localtunnel\.me \(EAI_AGAIN\)/);
    assert.match(grantTimeoutMessage(lt, 15_000, 'ECONNREFUSED: connect ECONNREFUSED 1.2.3.4:443'), /localtunnel\.me could not be reached \(ECONNREFUSED.*firewall or proxy/);
    assert.match(grantTimeoutMessage(lt, 15_000, 'ENETUNREACH: connect ENETUNREACH'), /no route to localtunnel\.me/);
    assert.match(grantTimeoutMessage(lt, 15_000, 'HTTP 503 from https://localtunnel.me/?new'), /the server is failing \(last attempt: HTTP 503/);
    assert.match(grantTimeoutMessage(lt, 15_000), /did not answer; it is slow or unreachable/);
    assert.match(grantTimeoutMessage(lt, 15_000, 'x answered 200 with non-JSON', 'my-hooks'), /check the subdomain \(4–63/);
    assert.doesNotMatch(grantTimeoutMessage(lt, 15_000, 'x answered 200 with non-JSON'), /subdomain/);
  });

  test('loopback receivers are dialled without local_host (which would rewrite Host on first requests only)', () => {
    assert.equal(localHostOption('127.0.0.1'), undefined);
    assert.equal(localHostOption('localhost'), undefined);
    assert.equal(localHostOption(undefined), undefined);
    assert.equal(localHostOption('192.168.1.20'), '192.168.1.20');
  });
});
