#!/usr/bin/python3
"""cpu_kernels: LibTorch 1.13 CPU kernel timings behind models/ops.cc's choices (1 thread, ms per
call, 20 calls): log_softmax vs softmax vs exp on (4096, 512) logits, masked_fill vs an additive
mask on (32, 2, 128, 128) scores, bmm vs baddbmm, GELU. Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 cpu_kernels.py"""
import time, torch
torch.set_num_threads(1)
def t(f, n=20):
    f(); t0=time.perf_counter()
    for _ in range(n): f()
    return (time.perf_counter()-t0)/n*1e3
x=torch.randn(4096,512); y=torch.randint(0,512,(4096,))
lp=torch.log_softmax(x,1); g=torch.randn(4096,512)
print("log_softmax", t(lambda: torch.log_softmax(x,1)))
print("log_softmax_bwd", t(lambda: torch._log_softmax_backward_data(g, lp, 1, torch.float32)))
print("exp", t(lambda: lp.exp()))
print("softmax", t(lambda: torch.softmax(x,1)))
print("logsumexp", t(lambda: torch.logsumexp(x,1)))
s=torch.randn(32,2,128,128); m=torch.ones(128,128,dtype=torch.bool).tril()
mb=torch.zeros(128,128).masked_fill(~m, float('-inf'))
print("masked_fill", t(lambda: s.masked_fill(~m, float('-inf'))))
print("add bias", t(lambda: s+mb))
q=torch.randn(64,128,32);k=torch.randn(64,128,32)
print("bmm qk", t(lambda: torch.bmm(q,k.transpose(1,2))))
print("baddbmm", t(lambda: torch.baddbmm(mb, q,k.transpose(1,2), alpha=0.17)))
print("gelu", t(lambda: torch.nn.functional.gelu(g)))
