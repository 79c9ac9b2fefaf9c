// One rule for the public URL a sender posts to (src/protocol/publicUrl.ts): the setting, the CLI's flags, the tunnel
// manager and template registration accept and refuse the same inputs, each naming where the URL came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { tunnelOptionSpecs, tunnelPlanFromArgs } from '../../../src/cli/tunnelOptions';
import { normalisePublicBaseUrl } from '../../../src/core/kaltura/registration';
import { EndpointPlanError, normalisePublicUrl } from '../../../src/core/session/endpointPlan';
import { createTunnelManager } from '../../../src/core/tunnel';
import { checkPublicUrl } from '../../../src/protocol/publicUrl';

const accepted: Array<[string, string]> = [
  ['https://abc.example.com', 'https://abc.example.com'],
  ['  https://abc.example.com/  ', 'https://abc.example.com'],
  ['http://127.0.0.1:8080/hooks//', 'http://127.0.0.1:8080/hooks'],
  ['HTTPS://Hooks.Example.COM/in', 'https://hooks.example.com/in'],
];
const refused: Array<[string, RegExp]> = [
  ['example.com/hooks', /is not a URL/],
  ['not a url', /is not a URL/],
  ['ftp://example.com', /must be an absolute http:\/\/ or https:\/\/ URL, got ftp:/],
  ['https://abc.example.com/?token=1', /must not carry a query or fragment/],
  ['https://abc.example.com/#x', /must not carry a query or fragment/],
];

function everyReader(input: string): Array<[string, () => string]> {
  return [
    ['setting', () => normalisePublicUrl(input)],
    ['registration', () => normalisePublicBaseUrl(input)],
    ['--public-url', () => {
      const plan = tunnelPlanFromArgs(parseArgs(['--public-url', input], tunnelOptionSpecs));
      return plan.endpoint.externalUrl ?? '';
    }],
  ];
}

test('every reader of a public URL accepts the same URLs and normalises them the same way', () => {
  for (const [input, expected] of accepted) {
    assert.deepEqual(checkPublicUrl(input), { ok: true, url: expected });
    for (const [who, read] of everyReader(input)) assert.equal(read(), expected, `${who}: ${input}`);
    assert.doesNotThrow(() => createTunnelManager({ kind: 'external', publicUrl: input }), `tunnel manager: ${input}`);
  }
});

test('every reader refuses the same URLs with the same reason, prefixed with where the URL came from', () => {
  for (const [input, reason] of refused) {
    const checked = checkPublicUrl(input);
    assert.equal(checked.ok, false, input);
    for (const [who, read] of everyReader(input)) assert.throws(read, reason, `${who}: ${input}`);
    assert.throws(() => createTunnelManager({ kind: 'external', publicUrl: input }), reason, `tunnel manager: ${input}`);
  }
  assert.throws(() => normalisePublicUrl('ftp://x'), (e: unknown) => e instanceof EndpointPlanError && /^kalturaWebhooks\.tunnel\.publicUrl "ftp:\/\/x" must/.test(e.message));
  assert.throws(() => tunnelPlanFromArgs(parseArgs(['--public-url', 'ftp://x'], tunnelOptionSpecs)), (e: unknown) => e instanceof UsageError && /^--public-url "ftp:\/\/x" must/.test(e.message));
  assert.throws(() => createTunnelManager({ kind: 'external', publicUrl: 'ftp://x' }), /the public URL \(--public-url\) must be/);
  assert.throws(() => normalisePublicBaseUrl('ftp://x'), (e: unknown) => e instanceof RangeError && /^the public URL "ftp:\/\/x" must/.test(e.message));
});
