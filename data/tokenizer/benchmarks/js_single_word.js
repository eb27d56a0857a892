// How long js-tiktoken 1.0.21 takes on one long single-word piece (its merge loop is quadratic),
// to size the single-word inputs of the reference test. Not a test. Random lowercase letters from
// a fixed LCG, so reruns encode the same words.
// Run: node data/tokenizer/benchmarks/js_single_word.js [N ...]   (default 2000 4000 8000 16000)
'use strict';
const path = require('path');
const pkg = process.env.JS_TIKTOKEN_DIR ||
  path.join(__dirname, '..', '..', '..', 'data', 'raw', 'node', 'node_modules', 'js-tiktoken');
const { Tiktoken } = require(path.join(pkg, 'dist', 'lite.cjs'));
const enc = new Tiktoken(require(path.join(pkg, 'dist', 'ranks', 'gpt2.cjs')));
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [2000, 4000, 8000, 16000];
for (const n of sizes) {
  let s = '', x = 12345;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; s += String.fromCharCode(97 + ((x >>> 16) % 26)); }
  const t0 = process.hrtime.bigint();
  const ids = enc.encode(s, [], []);
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${n} letters: ${ids.length} tokens, ${sec.toFixed(2)} s`);
}
