// DataParallel: the ranks of one data-parallel run, joined through LibTorch's c10d.
//
// Connect() rendezvouses through a c10d TCPStore at WorldOptions' master_addr:master_port
// (rank 0 serves it) and builds the process group: ProcessGroupNCCL for CUDA tensors when the
// build has NCCL (DATAWALL_TORCH_CUDA and <nccl.h>), else ProcessGroupGloo (CPU tensors, and
// CUDA tensors staged through the host where LibTorch's Gloo was built with CUDA). AllReduce()
// is what the trainer needs: sum (or max) of one tensor in place, bitwise the same on every
// rank. Not here: which sequences a rank trains (trainer.cc), launching ranks (launch.h), the
// environment (world_env.h). The c10d headers stay in data_parallel.cc; this header needs
// LibTorch's tensors only, so include it from training .cc files.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_DATA_PARALLEL_H_
#define DATAWALL_EXPERIMENTS_TRAINING_DATA_PARALLEL_H_

#include <torch/torch.h>

#include <memory>
#include <string>

#include "experiments/training/train_options.h"

namespace datawall::training {

class DataParallel {
 public:
  enum class Op { kSum, kMax };

  // Joins the world (blocks until every rank has joined or the timeout passes). `device` is
  // where the tensors to reduce live. Internal with one line (naming the address) on failure;
  // BadInput when this LibTorch has no c10d backend headers.
  static Result Connect(const WorldOptions& world, const torch::Device& device,
                        std::unique_ptr<DataParallel>* out);
  ~DataParallel();

  // In place, on every rank; throws std::runtime_error (naming the rank) when a peer is gone
  // or the timeout passes.
  void AllReduce(torch::Tensor& tensor, Op op = Op::kSum);

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  const std::string& backend() const { return backend_; }  // "gloo" or "nccl"

 private:
  struct Impl;
  DataParallel() = default;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0, world_size_ = 1;
  std::string backend_;
};

// Whether this build can create any process group (the Gloo or NCCL headers were found).
bool DataParallelAvailable();

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_DATA_PARALLEL_H_
