// Host memory policy for CPU training: reuse freed pages instead of mapping fresh ones.
//
// glibc's malloc serves every block above its mmap threshold (at most 32 MB) with a fresh
// mmap and returns it with munmap on free. A training step allocates and frees the same large
// tensors every step (logits, their softmax and gradient, activations), so by default each
// step faults in and zero-fills every page of them again: 2.5 million minor page faults and
// about a quarter of the step time on the paper's 7M shape (docs/training.md). Serving large
// blocks from the heap and never trimming it makes the second step reuse the first step's
// pages. The process keeps its peak footprint, which a trainer holds anyway.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_HOST_MEMORY_H_
#define DATAWALL_EXPERIMENTS_TRAINING_HOST_MEMORY_H_

#include <string>

namespace datawall::training {

// Applies the policy to this process (call once at start-up, before the model is built).
// Returns what was set, for the run record ("glibc malloc: ..."), or why nothing was.
std::string ReuseFreedHostMemory();

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_HOST_MEMORY_H_
