// CPU data parallelism for the training loop: gradient averaging over c10d's Gloo process group.
//
// Each rank computes gradients on its own slice of the batch; AverageGradients() all-reduces
// them (sum, then divide by the world size) so every rank applies the same update. It does not
// start processes or choose a rendezvous: callers pass a c10d Store (a HashStore for threads in
// one process, a TCPStore or FileStore across processes).
#ifndef DATAWALL_EXPERIMENTS_TRAINING_DATA_PARALLEL_H_
#define DATAWALL_EXPERIMENTS_TRAINING_DATA_PARALLEL_H_

#include <memory>
#include <vector>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/torch.h>

namespace datawall::training {

// A Gloo process group over loopback (one rank of `world_size`).
c10::intrusive_ptr<c10d::ProcessGroupGloo> MakeLoopbackGlooGroup(
    const c10::intrusive_ptr<c10d::Store>& store, int rank, int world_size);

// Replaces every defined gradient in `parameters` by its mean over all ranks of `group`.
void AverageGradients(c10d::ProcessGroup& group, const std::vector<torch::Tensor>& parameters);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_DATA_PARALLEL_H_
