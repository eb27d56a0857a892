#!/usr/bin/env python3
"""gpu_profile: where the GPU time of a GPT-2 124M-like bf16 training step goes (PyTorch eager,
the same model as train_bench.py --shape gpt2 --attn sdpa), by kernel class. For docs/training.md:
what limits MFU. Usage: python3 gpu_profile.py [--batch 16] [--steps 3]"""
import argparse, collections, sys, os
sys.argv, argv = sys.argv[:1] + ['--shape', 'gpt2', '--device', 'cuda', '--attn', 'sdpa'], sys.argv[1:]
ap = argparse.ArgumentParser(); ap.add_argument('--batch', type=int, default=16); ap.add_argument('--steps', type=int, default=3)
args = ap.parse_args(argv)
here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, 'train_bench.py')).read().replace("if __name__ == '__main__':\n    main()", '')
g = {'__name__': 'train_bench'}
exec(compile(src, 'train_bench.py', 'exec'), g)
import torch
from torch.profiler import profile, ProfilerActivity
cfg = dict(g['SHAPES']['gpt2'], batch=args.batch)
model = g['GPT'](cfg['vocab'], cfg['d'], cfg['heads'], cfg['layers'], cfg['seq'], 'sdpa').cuda()
opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=0.1, fused=True)
x = torch.randint(0, cfg['vocab'], (cfg['batch'], cfg['seq']), device='cuda'); y = torch.roll(x, -1, 1)
def step():
    opt.zero_grad(set_to_none=True)
    with torch.autocast('cuda', dtype=torch.bfloat16):
        loss = model(x, y)
    loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
for _ in range(3): step()
torch.cuda.synchronize()
with profile(activities=[ProfilerActivity.CUDA]) as prof:
    for _ in range(args.steps): step()
    torch.cuda.synchronize()
classes = collections.Counter()
other = collections.Counter()
def kind(name):
    n = name.lower()
    if 'flash' in n or 'fmha' in n or 'attention' in n: return 'attention (flash)'
    if 'gemm' in n or 'cutlass' in n or 'sm90' in n or 'nvjet' in n or 'xmma' in n: return 'matmul (cuBLAS)'
    if 'softmax' in n or 'nll' in n or 'cross' in n: return 'cross-entropy / softmax'
    if 'layer_norm' in n or 'layernorm' in n: return 'layernorm'
    if 'gelu' in n: return 'gelu'
    if 'adam' in n or 'multi_tensor' in n or 'foreach' in n or 'norm' in n: return 'optimizer + clip'
    if 'embedding' in n or 'index' in n or 'scatter' in n or 'gather' in n: return 'embedding / indexing'
    return 'other elementwise (casts, adds, copies)'
total = 0
for e in prof.key_averages():
    t = getattr(e, 'self_device_time_total', None) or getattr(e, 'self_cuda_time_total', 0)
    if t > 0:
        classes[kind(e.key)] += t; total += t
        if kind(e.key).startswith('other'): other[e.key[:110]] += t
print(f'batch {args.batch}: GPU time per step {total / args.steps / 1e3:.1f} ms')
for k, t in classes.most_common():
    print(f'  {k:<40} {t / args.steps / 1e3:7.2f} ms  {100 * t / total:5.1f}%')
print('largest "other" kernels:')
for k, t in other.most_common(8):
    print(f'  {t / args.steps / 1e3:7.2f} ms  {k}')
