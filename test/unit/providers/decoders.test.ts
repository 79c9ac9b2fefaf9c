import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeForm } from '../../../src/protocol/formDecode';
import { phpSerialize, phpUnserialize } from '../../../src/protocol/phpUnserialize';
import { firstInvalidUtf8Offset } from '../../../src/protocol/utf8Text';
import { parseXml, xmlToValue } from '../../../src/protocol/xmlDecode';

test('XML: CDATA, attributes, numeric and predefined entities, comments, declaration', () => {
  const root = parseXml('<?xml version="1.0"?><!-- c --><n a="1 &amp; 2"><t><![CDATA[<raw> & ]]></t><u>&#233;&#x2713;&lt;&quot;</u><e/></n>');
  assert.deepEqual(xmlToValue(root), { '@a': '1 & 2', t: '<raw> & ', u: 'é✓<"', e: '' });
});

test('XML: repeated names become arrays; __proto__ is an ordinary key', () => {
  const v = xmlToValue(parseXml('<n><x>1</x><x>2</x><__proto__>p</__proto__></n>')) as Record<string, unknown>;
  assert.deepEqual(v['x'], ['1', '2']);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, 'p');
});

test('XML: limits and malformed input throw with an offset', () => {
  assert.throws(() => parseXml('<a>' + '<b/>'.repeat(50) + '</a>', { maxDepth: 64, maxNodes: 20, maxBytes: 1e6 }), /more than 20 XML nodes/);
  assert.throws(() => parseXml('x'.repeat(100), { maxDepth: 64, maxNodes: 10, maxBytes: 50 }), /larger than 50 bytes/);
  assert.throws(() => parseXml('<a b=1/>'), /must be quoted at offset/);
  assert.throws(() => parseXml('<a>&#0;</a>'), /invalid character reference/);
  assert.throws(() => parseXml('<a/><b/>'), /more than one root/);
  assert.throws(() => parseXml(''), /no root element/);
});

test('PHP: string lengths are UTF-8 byte counts; private/protected names are cleaned', () => {
  assert.equal(phpUnserialize('s:2:"é";'), 'é');
  assert.throws(() => phpUnserialize('s:1:"é";'), /expected """/);
  const obj = phpUnserialize(Buffer.from('O:3:"Foo":3:{s:1:"a";i:1;s:6:"\0Foo\0b";b:1;s:4:"\0*\0c";d:0.5;}', 'latin1'));
  assert.deepEqual(obj, { a: 1, b: true, c: 0.5, objectType: 'Foo' });
  assert.deepEqual(phpUnserialize('a:2:{i:0;s:1:"x";i:1;N;}'), ['x', null]);
  assert.deepEqual(phpUnserialize('a:1:{s:1:"k";d:-INF;}'), { k: -Infinity });
  assert.throws(() => phpUnserialize('r:1;'), /references/);
  assert.throws(() => phpUnserialize('i:1;extra'), /unexpected data after/);
});

test('PHP: phpSerialize matches php-cli byte for byte', () => {
  const value = { objectType: 'KalturaMediaEntry', id: '0_x', name: 'Ünï "q"', n: 3, f: 1.5, t: true, z: null, list: ['a', 'b'], map: { '5': 'five', k: 'v' } };
  const script = 'class KalturaMediaEntry { public $id = "0_x"; public $name = "Ünï \\"q\\""; public $n = 3; public $f = 1.5; public $t = true; public $z = null; public $list = ["a", "b"]; public $map = ["5" => "five", "k" => "v"]; } echo serialize(new KalturaMediaEntry());';
  const out = spawnSync('php', ['-r', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(out.error, undefined, 'php-cli must run here');
  assert.equal(phpSerialize(value), out.stdout);
  assert.deepEqual(phpUnserialize(out.stdout), value);
});

test('form decoding: PHP semantics and reported problems', () => {
  assert.deepEqual(decodeForm('a=1+2&b=%C3%A9&&c&=x').pairs, [['a', '1 2'], ['b', 'é'], ['c', '']]);
  assert.match(decodeForm('a=%zz').problems.join(), /malformed %-escape/);
  assert.match(decodeForm('a=%ff').problems.join(), /invalid UTF-8/);
});

test('UTF-8 validation offsets', () => {
  assert.equal(firstInvalidUtf8Offset(Buffer.from('héllo ✓ 😀')), -1);
  assert.equal(firstInvalidUtf8Offset(Buffer.from([0x61, 0xc0, 0x80])), 1, 'overlong');
  assert.equal(firstInvalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80])), 0, 'surrogate');
  assert.equal(firstInvalidUtf8Offset(Buffer.from([0x61, 0x62, 0xe2, 0x9c])), 2, 'truncated');
});
