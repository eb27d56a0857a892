// DataParallel over c10d (see data_parallel.h): TCPStore rendezvous, then ProcessGroupNCCL
// (CUDA, when compiled in) or ProcessGroupGloo. The only file that includes c10d's headers.
#include "experiments/training/data_parallel.h"

#include <torch/version.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <vector>

// Gloo: Debian's libtorch_cpu.so has ProcessGroupGloo; its headers need libgloo-dev's.
#if __has_include(<gloo/config.h>) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>)
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#define DATAWALL_HAVE_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
// NCCL: only where the linked LibTorch has CUDA (the build defines DATAWALL_TORCH_CUDA) and
// NCCL's header is on the include path (a pip torch's nvidia/nccl/include).
#if defined(DATAWALL_TORCH_CUDA) && __has_include(<nccl.h>) && \
    __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>)
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL 1
#endif
#define DATAWALL_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#if defined(DATAWALL_HAVE_GLOO) || defined(DATAWALL_HAVE_NCCL)
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace datawall::training {

bool DataParallelAvailable() {
#if defined(DATAWALL_HAVE_GLOO) || defined(DATAWALL_HAVE_NCCL)
  return true;
#else
  return false;
#endif
}

#if defined(DATAWALL_HAVE_GLOO) || defined(DATAWALL_HAVE_NCCL)

// LibTorch 2.x's process groups derive from c10d::Backend, 1.13's from c10d::ProcessGroup.
#if TORCH_VERSION_MAJOR >= 2
using GroupBase = c10d::Backend;
#else
using GroupBase = c10d::ProcessGroup;
#endif

struct DataParallel::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<GroupBase> group;
};

DataParallel::~DataParallel() = default;

Result DataParallel::Connect(const WorldOptions& world, const torch::Device& device,
                             std::unique_ptr<DataParallel>* out) {
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(world.timeout_seconds * 1000));
  const std::string where = world.master_addr + ":" + std::to_string(world.master_port);
  std::unique_ptr<DataParallel> dp(new DataParallel());
  dp->impl_ = std::make_unique<Impl>();
  dp->rank_ = world.rank;
  dp->world_size_ = world.world_size;
  try {
    c10d::TCPStoreOptions so;
    so.port = static_cast<uint16_t>(world.master_port);
    so.isServer = world.rank == 0;
    so.numWorkers = static_cast<size_t>(world.world_size);
    so.waitWorkers = true;
    so.timeout = timeout;
    auto tcp = c10::make_intrusive<c10d::TCPStore>(world.master_addr, so);
    dp->impl_->store = c10::make_intrusive<c10d::PrefixStore>("datawall", tcp);
  } catch (const std::exception& e) {
    return Result::Internal("data-parallel rank " + std::to_string(world.rank) + " of " +
                            std::to_string(world.world_size) + ": rendezvous at " + where +
                            " failed: " + std::string(e.what()).substr(0, 200));
  }
  try {
#if defined(DATAWALL_HAVE_NCCL)
    if (device.is_cuda()) {
      auto opts = c10d::ProcessGroupNCCL::Options::create();
      opts->timeout = timeout;
      dp->impl_->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(
          dp->impl_->store, world.rank, world.world_size, opts);
      dp->backend_ = "nccl";
    }
#endif
#if defined(DATAWALL_HAVE_GLOO)
    if (!dp->impl_->group) {
      auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
      const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
      if (ifname != nullptr && *ifname != '\0') {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
      } else if (world.master_addr == "127.0.0.1" || world.master_addr == "localhost") {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
      } else {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      }
      dp->impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
          dp->impl_->store, world.rank, world.world_size, opts);
      dp->backend_ = "gloo";
    }
#endif
  } catch (const std::exception& e) {
    return Result::Internal("data-parallel rank " + std::to_string(world.rank) +
                            ": process group over " + where + " failed: " +
                            std::string(e.what()).substr(0, 200));
  }
  if (!dp->impl_->group) {
    return Result::BadInput("data parallelism on " + device.str() +
                            " needs NCCL, which this build of the trainer does not have");
  }
  *out = std::move(dp);
  return Result::Ok();
}

void DataParallel::AllReduce(torch::Tensor& tensor, Op op) {
  c10d::AllreduceOptions options;
  options.reduceOp = op == Op::kMax ? c10d::ReduceOp::MAX : c10d::ReduceOp::SUM;
  std::vector<at::Tensor> tensors{tensor};
  try {
    impl_->group->allreduce(tensors, options)->wait();
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw std::runtime_error("data-parallel rank " + std::to_string(rank_) + " of " +
                             std::to_string(world_size_) + ": all-reduce failed (a rank died or "
                             "timed out): " + what.substr(0, 200));
  }
}

#else  // no c10d backend headers

struct DataParallel::Impl {};
DataParallel::~DataParallel() = default;

Result DataParallel::Connect(const WorldOptions&, const torch::Device&,
                             std::unique_ptr<DataParallel>*) {
  return Result::BadInput("data parallelism needs c10d's Gloo headers (Debian: libgloo-dev) or "
                          "NCCL, and this build of the trainer has neither");
}

void DataParallel::AllReduce(torch::Tensor&, Op) {
  throw std::runtime_error("data parallelism is not compiled in");
}

#endif

}  // namespace datawall::training
