#!/usr/bin/python3
"""data_stats: unigram entropy of a shard prefix, and which documents a unique-token budget takes.

  /usr/bin/python3 data_stats.py SHARD --prefix 32769            unigram entropy (nats) of the first N tokens
  /usr/bin/python3 data_stats.py SHARD --budget 600000 --order-seed 6   documents in UniqueTokens(U, seed)

Reads the data/shard.h layout (256-byte header, uint16/uint32 tokens, 8-byte aligned int64 document
starts) and replays data/sampler.cc's document order (SplitMix64 stream keyed by (seed, "doc-orde",
0), Fisher-Yates with Lemire's bounded integers) in pure Python. Used for docs/training.md."""
import argparse, struct
import numpy as np

M = (1 << 64) - 1


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def stream_key(seed, purpose, index):
    _, k = splitmix(seed)
    _, k = splitmix(k ^ purpose)
    _, k = splitmix(k ^ index)
    return k


def bounded(state, bound):
    state, r = splitmix(state)
    m = r * bound
    if (m & M) < bound:
        threshold = ((1 << 64) - bound) % bound
        while (m & M) < threshold:
            state, r = splitmix(state)
            m = r * bound
    return state, m >> 64


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('shard')
    ap.add_argument('--prefix', type=int, default=0)
    ap.add_argument('--budget', type=int, default=0)
    ap.add_argument('--order-seed', type=int, default=0)
    a = ap.parse_args()
    b = open(a.shard, 'rb').read()
    width, vocab = struct.unpack_from('<II', b, 12)
    n, ndocs = struct.unpack_from('<qq', b, 24)
    tokens = np.frombuffer(b, dtype=np.uint16 if width == 2 else np.uint32, count=n, offset=256)
    starts = np.frombuffer(b, dtype=np.int64, count=ndocs + 1, offset=(256 + width * n + 7) // 8 * 8)
    assert starts[0] == 0 and starts[-1] == n, 'unexpected shard layout'
    if a.prefix:
        c = np.bincount(tokens[:a.prefix], minlength=vocab).astype(float)
        p = c[c > 0] / c.sum()
        print(f'unigram entropy of the first {a.prefix} tokens: {-(p * np.log(p)).sum():.4f} nats')
    if a.budget:
        lengths = np.diff(starts)
        order = list(range(ndocs))
        state = stream_key(a.order_seed, 0x646f632d6f726465, 0)
        for i in range(ndocs - 1, 0, -1):
            state, j = bounded(state, i + 1)
            order[i], order[j] = order[j], order[i]
        total, docs, largest = 0, 0, 0
        for d in order:
            total += lengths[d]; docs += 1; largest = max(largest, lengths[d])
            if total >= a.budget:
                break
        print(f'budget {a.budget}, order seed {a.order_seed}: {docs} documents, largest {largest} tokens '
              f'(corpus largest {lengths.max()})')


if __name__ == '__main__':
    main()
