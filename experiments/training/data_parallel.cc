#include "experiments/training/data_parallel.h"

namespace datawall::training {

c10::intrusive_ptr<c10d::ProcessGroupGloo> MakeLoopbackGlooGroup(
    const c10::intrusive_ptr<c10d::Store>& store, int rank, int world_size) {
  auto options = c10d::ProcessGroupGloo::Options::create();
  options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world_size, options);
}

void AverageGradients(c10d::ProcessGroup& group, const std::vector<torch::Tensor>& parameters) {
  std::vector<torch::Tensor> grads;
  for (const torch::Tensor& p : parameters) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) return;
  // One flat buffer: a single all-reduce instead of one per parameter.
  torch::Tensor flat = torch::cat([&] {
    std::vector<torch::Tensor> views;
    for (const torch::Tensor& g : grads) views.push_back(g.reshape({-1}));
    return views;
  }());
  std::vector<torch::Tensor> buffers = {flat};
  group.allreduce(buffers)->wait();
  flat.div_(group.getSize());
  int64_t offset = 0;
  for (torch::Tensor& g : grads) {
    g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
    offset += g.numel();
  }
}

}  // namespace datawall::training
