// Baseline 3: GPT-2 BPE encode throughput of js-tiktoken 1.0.21 (lite entry + gpt2 ranks), one thread.
// Copied from the project's shared baselines (baselines/tok_bench.js). Only change: js-tiktoken is
// loaded from $JS_TIKTOKEN_DIR, default data/raw/node/node_modules/js-tiktoken (installed by
// tools/setup.d/20-node-reference.sh), instead of ./node_modules. Run by compare.sh.
//
// Rerun:  node tok_bench.js FILE [--reps R] [--dump OUT.u16]
//   FILE is read as UTF-8 and encoded as ONE string with enc.encode(text) (default special-token
//   handling: none allowed). Pass 1 is timed on its own (cold JIT); passes 2..R are the warm passes,
//   whose median is the headline figure. MB = 1e6 bytes of the UTF-8 file. Times are
//   process.hrtime.bigint() around each encode call only: node start-up, module loading, the Tiktoken
//   constructor (rank table parse) and reading the file are reported separately.
//   --dump writes the token ids of pass 1 as little-endian uint16 (GPT-2 ids < 65536), so another
//   tokenizer can be checked for identical output (cmp).
// Prints one JSON line.
const t_start = process.hrtime.bigint();
const node_uptime_at_script_start = process.uptime();
const fs = require('fs');
const path = require('path');
const pkg = process.env.JS_TIKTOKEN_DIR ||
  path.join(__dirname, '..', '..', '..', 'data', 'raw', 'node', 'node_modules', 'js-tiktoken');
const base = path.join(pkg, 'dist');

function sec(a, b) { return Number(b - a) / 1e9; }

const args = process.argv.slice(2);
const file = args[0];
let reps = 5, dump = null;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--reps') reps = parseInt(args[++i], 10);
  else if (args[i] === '--dump') dump = args[++i];
}
if (!file) { console.error('usage: node tok_bench.js FILE [--reps R] [--dump OUT.u16]'); process.exit(2); }

const t_req0 = process.hrtime.bigint();
const { Tiktoken } = require(path.join(base, 'lite.cjs'));
const ranks = require(path.join(base, 'ranks', 'gpt2.cjs'));
const t_req1 = process.hrtime.bigint();
const enc = new Tiktoken(ranks);
const t_init = process.hrtime.bigint();

const buf = fs.readFileSync(file);
const text = buf.toString('utf8');
const t_read = process.hrtime.bigint();
const mb = buf.length / 1e6;

const times = [];
let ids = null, ntok = 0, hash = 0;
for (let r = 0; r < reps; r++) {
  const t0 = process.hrtime.bigint();
  const out = enc.encode(text);
  const t1 = process.hrtime.bigint();
  times.push(sec(t0, t1));
  if (r === 0) {
    ids = out; ntok = out.length;
    // FNV-1a over the ids (32-bit), to compare outputs cheaply
    let h = 0x811c9dc5;
    for (let i = 0; i < out.length; i++) { h ^= out[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    hash = h >>> 0;
  }
}
if (dump) {
  const u = new Uint16Array(ids.length);
  for (let i = 0; i < ids.length; i++) u[i] = ids[i];
  fs.writeFileSync(dump, Buffer.from(u.buffer));
}
const warm = times.slice(1).sort((a, b) => a - b);
const median = warm.length ? (warm.length % 2 ? warm[(warm.length - 1) / 2]
  : 0.5 * (warm[warm.length / 2 - 1] + warm[warm.length / 2])) : null;
console.log(JSON.stringify({
  baseline: 'tok_bench_js_tiktoken', file: path.basename(file), bytes: buf.length, chars: text.length,
  tokens: ntok, bytes_per_token: buf.length / ntok, fnv1a32_ids: hash.toString(16),
  reps, pass_seconds: times,
  cold_MBps: mb / times[0], warm_median_seconds: median, warm_MBps: median ? mb / median : null,
  warm_tokens_per_s: median ? ntok / median : null,
  node_uptime_at_script_start_seconds: node_uptime_at_script_start,
  require_seconds: sec(t_req0, t_req1), tiktoken_init_seconds: sec(t_req1, t_init),
  read_seconds: sec(t_init, t_read), script_seconds: sec(t_start, process.hrtime.bigint()),
  node: process.version, js_tiktoken: require(path.join(pkg, 'package.json')).version,
}));
