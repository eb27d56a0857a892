#!/usr/bin/python3
"""Baseline 4: PyTorch eager (Python) training throughput of GPT-2 shapes (CPU float32; CUDA bf16).

Copied from the project's baseline script train_bench.py (not part of this repository; unchanged
on CPU) and extended for the GPU check:
--device cuda runs the step under torch.autocast('cuda', dtype=torch.bfloat16) with
torch.cuda.synchronize() around each timed step, --attn sdpa uses the public
F.scaled_dot_product_attention(is_causal=True) on torch 2.x, shape gpt2 is GPT-2 124M-like
(vocab 50304, d 768, 12 heads, 12 layers, seq 1024, batch 16), and on CUDA the JSON line adds
MFU = (6 * non-position params + 12 * layers * d * seq) * tokens/s / --peak_tflops.

Model: GPT-2 style pre-LN decoder. Token embedding (vocab x d) + learned positional embedding
(seq x d); per layer  x = x + Attn(LN1(x));  x = x + MLP(LN2(x)); final LN; logits = x @ wte^T (tied).
Attn: one fused qkv Linear(d, 3d, bias) -> heads -> causal softmax attention -> Linear(d, d, bias).
  --attn manual (default): att = softmax(masked_fill(q k^T / sqrt(hd), causal, -inf)) @ v
  --attn sdpa: torch.nn.functional._scaled_dot_product_attention(q, k, v, None, 0.0, False, True)
     (PyTorch 1.13 has no public F.scaled_dot_product_attention; this private op is the 1.13 form,
     and on CPU it is the composite "math" path; LibTorch 1.13 has at::_scaled_dot_product_attention)
MLP: Linear(d, 4d) -> GELU (exact erf form, nn.GELU() default) -> Linear(4d, d). No dropout.
Init: N(0, 0.02) for Linear/Embedding weights, zero biases, LayerNorm (1, 0), eps 1e-5.
Loss: mean cross-entropy over all B*T positions of random tokens (uniform in [0, vocab), seeded).
Optimiser: torch.optim.AdamW(model.parameters(), lr=2e-4, betas=(0.9, 0.999), eps=1e-8,
  weight_decay=0.1) on ALL parameters (one group; torch 1.13 default foreach=None -> per-tensor loop),
  torch.nn.utils.clip_grad_norm_(params, 1.0) every step.
Timed step = zero_grad(set_to_none=True) + forward + loss + backward + clip + optimizer.step,
  time.perf_counter around each step; WARMUP (5) untimed steps, then STEPS (20) timed;
  tokens/s = B*T / median(step seconds). Batches are pre-generated (not timed).
Threads: torch.set_num_threads(THREADS) (default 1); OPENBLAS_NUM_THREADS / OMP_NUM_THREADS /
  MKL_NUM_THREADS are set to THREADS before torch is imported unless already set in the environment
  (OpenBLAS keeps its own thread pool, which torch.set_num_threads does not reach in Debian's build).

Rerun:  /usr/bin/python3 train_bench.py --shape a|b|c|all [--attn manual|sdpa] [--steps 20] [--warmup 5]
        [--threads 1] [--json OUT] [--profile N]
Shapes: a = vocab 512, d 128, 4 heads, 4 layers, seq 256, batch 16
        b = vocab 512, d 64, 2 heads, 2 layers, seq 128, batch 32
        c = vocab 50257, d 128, 4 heads, 3 layers, seq 256, batch 8 (the paper's ~7M-parameter shape)
Prints one JSON line per shape.
"""
import argparse
import json
import math
import os
import sys
import time


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument('--shape', default='all', choices=['a', 'b', 'c', 'gpt2', 'all'])
    ap.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    ap.add_argument('--batch', type=int, default=0, help='override the shape\'s batch size')
    ap.add_argument('--peak_tflops', type=float, default=989.0, help='dense bf16 peak (H100/H200 SXM: 989)')
    ap.add_argument('--attn', default='manual', choices=['manual', 'sdpa'])
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--json', default=None, help='append the JSON lines to this file too')
    ap.add_argument('--profile', type=int, default=0,
                    help='after timing, run N more steps under torch.profiler and print the top ops to stderr')
    return ap.parse_args()


ARGS = parse()
for var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(var, str(ARGS.threads))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SHAPES = {
    'a': dict(vocab=512, d=128, heads=4, layers=4, seq=256, batch=16),
    'b': dict(vocab=512, d=64, heads=2, layers=2, seq=128, batch=32),
    'c': dict(vocab=50257, d=128, heads=4, layers=3, seq=256, batch=8),
    'gpt2': dict(vocab=50304, d=768, heads=12, layers=12, seq=1024, batch=16),
}


class Block(nn.Module):
    def __init__(self, d, heads, seq, attn):
        super().__init__()
        self.heads, self.attn_kind = heads, attn
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(4 * d, d)
        self.register_buffer('mask', torch.tril(torch.ones(seq, seq, dtype=torch.bool)).view(1, 1, seq, seq))

    def attention(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        hd = C // self.heads
        q = q.view(B, T, self.heads, hd).transpose(1, 2)
        k = k.view(B, T, self.heads, hd).transpose(1, 2)
        v = v.view(B, T, self.heads, hd).transpose(1, 2)
        if self.attn_kind == 'sdpa' and hasattr(F, 'scaled_dot_product_attention'):
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        elif self.attn_kind == 'sdpa':
            y = F._scaled_dot_product_attention(q, k, v, None, 0.0, False, True)[0]
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
            att = att.masked_fill(~self.mask[:, :, :T, :T], float('-inf'))
            att = F.softmax(att, dim=-1)
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)

    def forward(self, x):
        x = x + self.attention(self.ln1(x))
        x = x + self.fc2(self.act(self.fc(self.ln2(x))))
        return x


class GPT(nn.Module):
    def __init__(self, vocab, d, heads, layers, seq, attn):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(seq, d)
        self.blocks = nn.ModuleList([Block(d, heads, seq, attn) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, 0.02)

    def forward(self, idx, targets):
        B, T = idx.shape
        pos = torch.arange(T, dtype=torch.long, device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for blk in self.blocks:
            x = blk(x)
        x = self.ln_f(x)
        logits = F.linear(x, self.wte.weight)  # tied embeddings
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def bench(name, cfg):
    cfg = dict(cfg)
    if ARGS.batch:
        cfg['batch'] = ARGS.batch
    dev = torch.device(ARGS.device)
    cuda = dev.type == 'cuda'
    torch.manual_seed(ARGS.seed)
    model = GPT(cfg['vocab'], cfg['d'], cfg['heads'], cfg['layers'], cfg['seq'], ARGS.attn).to(dev)
    nparams = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
    B, T = cfg['batch'], cfg['seq']
    g = torch.Generator().manual_seed(ARGS.seed)
    nsteps = ARGS.warmup + ARGS.steps
    data = [torch.randint(0, cfg['vocab'], (B, T + 1), generator=g) for _ in range(nsteps)]
    data = [(d[:, :-1].contiguous().to(dev), d[:, 1:].contiguous().to(dev)) for d in data]
    times, cpu_times, losses = [], [], []
    for s in range(nsteps):
        x, y = data[s]
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        c0 = time.process_time()
        opt.zero_grad(set_to_none=True)
        if cuda:
            with torch.autocast('cuda', dtype=torch.bfloat16):
                loss = model(x, y)
        else:
            loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if cuda:
            torch.cuda.synchronize()
        t1 = time.perf_counter()
        c1 = time.process_time()
        losses.append(float(loss))
        if s >= ARGS.warmup:
            times.append(t1 - t0)
            cpu_times.append(c1 - c0)
    if ARGS.profile:
        from torch.profiler import profile, ProfilerActivity
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            for s in range(ARGS.profile):
                x, y = data[s]
                opt.zero_grad(set_to_none=True)
                loss = model(x, y)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
        print(f'# shape {name}: {ARGS.profile} profiled steps', file=sys.stderr)
        print(prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=15), file=sys.stderr)
    st = sorted(times)
    med = st[len(st) // 2] if len(st) % 2 else 0.5 * (st[len(st) // 2 - 1] + st[len(st) // 2])
    out = {
        'baseline': 'train_bench_pytorch_eager', 'shape': name, **cfg, 'device': str(dev), 'params': nparams, 'attn': ARGS.attn,
        'tokens_per_step': B * T, 'median_step_seconds': med, 'tokens_per_s': B * T / med,
        'cpu_tokens_per_s': B * T / sorted(cpu_times)[len(cpu_times) // 2],
        'cpu_tokens_per_s_best': B * T / min(cpu_times),
        'min_step_seconds': st[0], 'max_step_seconds': st[-1], 'steps': ARGS.steps, 'warmup': ARGS.warmup,
        'loss_first': losses[0], 'loss_last': losses[-1],
        'torch': torch.__version__, 'torch_threads': torch.get_num_threads(),
        'interop_threads': torch.get_num_interop_threads(),
        'OPENBLAS_NUM_THREADS': os.environ.get('OPENBLAS_NUM_THREADS'),
        'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS'),
    }
    if cuda:
        flops_per_token = 6 * (nparams - T * cfg['d']) + 12 * cfg['layers'] * cfg['d'] * T
        achieved = flops_per_token * out['tokens_per_s']
        out.update(flops_per_token=flops_per_token, achieved_tflops=achieved / 1e12,
                   peak_tflops=ARGS.peak_tflops, mfu=achieved / (ARGS.peak_tflops * 1e12),
                   gpu=torch.cuda.get_device_name(0))
    return out


def main():
    torch.set_num_threads(ARGS.threads)
    names = ['a', 'b', 'c'] if ARGS.shape == 'all' else [ARGS.shape]
    for n in names:
        r = bench(n, SHAPES[n])
        line = json.dumps(r)
        print(line, flush=True)
        if ARGS.json:
            with open(ARGS.json, 'a') as f:
                f.write(line + '\n')


if __name__ == '__main__':
    main()
