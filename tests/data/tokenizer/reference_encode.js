// Reference ids for datawall's GPT-2 tokenizer tests, from js-tiktoken 1.0.21 (gpt2 ranks) as
// installed by tools/setup.d/20-node-reference.sh under data/raw/node/. Run by reference_test.cc.
//
//   node reference_encode.js ROOT encode IN.bin OUT.bin
//       IN: u32 count, then per document u32 byte length + bytes (any bytes). Each document is
//       decoded with Buffer.toString('utf8') (ill-formed UTF-8 -> U+FFFD) and encoded with
//       enc.encode(text, [], []) (special-token text is ordinary text). OUT: per document u32 n + n u32 ids.
//   node reference_encode.js ROOT sample DOCS_DIR PER_SOURCE MAX_CHARS OUT.bin
//       For every DOCS_DIR/*.jsonl ({"src","id","text"} a line): PER_SOURCE documents at evenly spaced
//       line numbers, text cut to MAX_CHARS UTF-16 units. OUT: u32 count, then per document: u32 len +
//       src, u32 len + UTF-8 text (Buffer.from), u32 n + n u32 ids.
// All integers little-endian. Exits 2 with a one-line message if js-tiktoken is missing.
'use strict';
const fs = require('fs');
const path = require('path');

const [root, mode, ...rest] = process.argv.slice(2);
const base = path.join(root || '.', 'data', 'raw', 'node', 'node_modules', 'js-tiktoken');
let Tiktoken, ranks, version;
try {
  ({ Tiktoken } = require(path.join(base, 'dist', 'lite.cjs')));
  ranks = require(path.join(base, 'dist', 'ranks', 'gpt2.cjs'));
  version = require(path.join(base, 'package.json')).version;
} catch (e) {
  console.error(`reference_encode.js: js-tiktoken not found under ${base} (run tools/setup.sh or ` +
                `tools/setup.d/20-node-reference.sh REPO_ROOT): ${e.message.split('\n')[0]}`);
  process.exit(2);
}
if (version !== '1.0.21') {
  console.error(`reference_encode.js: js-tiktoken ${version} installed, the tests pin 1.0.21`);
  process.exit(2);
}
const enc = new Tiktoken(ranks);

class Writer {
  constructor() { this.chunks = []; }
  u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); this.chunks.push(b); }
  bytes(b) { this.u32(b.length); this.chunks.push(b); }
  ids(a) { const b = Buffer.alloc(4 * a.length); for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i], 4 * i); this.u32(a.length); this.chunks.push(b); }
  save(file) { fs.writeFileSync(file, Buffer.concat(this.chunks)); }
}

if (mode === 'encode') {
  const [inFile, outFile] = rest;
  const buf = fs.readFileSync(inFile);
  let off = 0;
  const count = buf.readUInt32LE(off); off += 4;
  const w = new Writer();
  for (let i = 0; i < count; i++) {
    const len = buf.readUInt32LE(off); off += 4;
    const text = buf.subarray(off, off + len).toString('utf8'); off += len;
    w.ids(enc.encode(text, [], []));
  }
  w.save(outFile);
} else if (mode === 'sample') {
  const [dir, perSourceStr, maxCharsStr, outFile] = rest;
  const perSource = parseInt(perSourceStr, 10), maxChars = parseInt(maxCharsStr, 10);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  const records = [];
  for (const f of files) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.length > 0);
    const k = Math.min(perSource, lines.length);
    for (let j = 0; j < k; j++) {
      const doc = JSON.parse(lines[Math.floor(j * lines.length / k)]);
      const text = String(doc.text).slice(0, maxChars);
      records.push([String(doc.src), text]);
    }
  }
  const w = new Writer();
  w.u32(records.length);
  for (const [src, text] of records) {
    w.bytes(Buffer.from(src, 'utf8'));
    w.bytes(Buffer.from(text, 'utf8'));
    w.ids(enc.encode(text, [], []));
  }
  w.save(outFile);
} else {
  console.error('usage: node reference_encode.js ROOT encode IN.bin OUT.bin | ROOT sample DIR PER_SOURCE MAX_CHARS OUT.bin');
  process.exit(2);
}
