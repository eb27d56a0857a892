// train_throughput: training tokens/s of our C++ step (models::GPT + FlatAdamW + TrainStep)
// on the shapes of train_bench.py (beside this file), the same way that script times PyTorch
// eager: random uniform tokens (pre-generated), WARMUP untimed steps, then STEPS timed steps,
// tokens/s = B * T / median step time. float32 on CPU, bf16 autocast on CUDA; no dropout (the
// Python baseline has none). Prints one JSON line per shape. On CUDA also prints MFU against
// --peak_tflops (H100/H200 SXM dense bf16: 989).
//
//   train_throughput --shape=a|b|c|gpt2|d512|all [--steps=20] [--warmup=5] [--threads=1]
//                    [--device=cpu|cuda] [--batch=N] [--peak_tflops=989] [--profile=TRACE.json]
//                    [--host_memory=reuse|default] [--precision=bf16|autocast]
//
// --precision (CUDA): bf16 (the default, as the trainer) = bf16 weights with float32 master
// weights in the optimiser; autocast = float32 weights under bf16 autocast.
// --host_memory=reuse (the default) applies the trainer's host allocator policy on CPU
// (host_memory.h); =default leaves glibc's, to measure what the policy is worth.
//
// Besides wall-clock tokens/s it reports cpu_tokens_per_s from process CPU time, which is
// what to compare on a shared, loaded host (train_bench.py here reports the same).
//
// A non-finite figure (a diverged loss) is an error (exit 1), never a printed "nan": the line goes
// through tools/json/finite.h, the project's one JSON policy.
//
// Standard library + LibTorch + nlohmann's headers only (builds with Bazel and with
// gpu/CMakeLists.txt).
#include <time.h>
#include <torch/torch.h>
#include <torch/version.h>
#if TORCH_VERSION_MAJOR < 2
#include <torch/csrc/autograd/profiler_legacy.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "experiments/training/flat_adamw.h"
#include "experiments/training/host_memory.h"
#include "experiments/training/train_step.h"
#include "models/gpt.h"
#include "models/shape.h"
#include "tools/json/finite.h"

namespace {

using namespace datawall;

struct Shape { int64_t vocab, d, heads, layers, seq, batch; };
const std::map<std::string, Shape> kShapes = {
    {"a", {512, 128, 4, 4, 256, 16}},
    {"b", {512, 64, 2, 2, 128, 32}},
    {"c", {50257, 128, 4, 3, 256, 8}},
    {"gpt2", {50304, 768, 12, 12, 1024, 16}},  // GPT-2 124M-like; vocab padded to 64k multiple
    {"d512", {4096, 512, 8, 8, 1024, 16}},     // gpu_smoke's micro_d512_l8 (vocab 4096)
};

std::string Flag(int argc, char** argv, const std::string& name, const std::string& def) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) return argv[i] + prefix.size();
  }
  return def;
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// Times one shape and prints its JSON line.
Result Bench(const std::string& name, Shape s, int steps, int warmup, int threads,
           const torch::Device& device, double peak_tflops, const std::string& profile,
           const std::string& host_memory, bool bf16_weights) {
  models::ModelShape shape;
  shape.d_model = s.d;
  shape.ffw_size = 4 * s.d;
  shape.n_heads = s.heads;
  shape.kv_size = s.d / s.heads;
  shape.n_layers = s.layers;
  shape.vocab_size = s.vocab;
  shape.seq_len = s.seq;
  shape.dropout = 0.0;
  torch::manual_seed(1234);
  models::GPT model(shape);
  model->to(device);
  model->train();
  training::FlatAdamW optimizer(*model, {0.9, 0.999, 1e-8, 0.1},
                                bf16_weights ? torch::kBFloat16 : torch::kFloat32);
  const int64_t B = s.batch, T = s.seq;
  std::vector<training::MicroBatch> data;
  auto gen = at::detail::createCPUGenerator(1234);
  for (int i = 0; i < steps + warmup; ++i) {
    auto seqs = torch::randint(0, s.vocab, {B, T + 1}, gen, torch::kLong).to(device);
    data.push_back({seqs.narrow(1, 0, T), seqs.narrow(1, 1, T)});
  }
  std::vector<double> times, cpu_times;
  double first_loss = 0, last_loss = 0;
  for (int i = 0; i < steps + warmup; ++i) {
    if (device.is_cuda()) torch::cuda::synchronize();
    const double c0 = CpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = training::TrainStep(model, optimizer, {data[i]}, 2e-4, 1.0,
                                       /*autocast_bf16=*/true, 1234, i);
    if (device.is_cuda()) torch::cuda::synchronize();
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (i == 0) first_loss = r.loss;
    last_loss = r.loss;
    if (i >= warmup) {
      times.push_back(dt);
      cpu_times.push_back(CpuSeconds() - c0);
    }
  }
#if TORCH_VERSION_MAJOR < 2
  if (!profile.empty()) {  // a Chrome trace of 3 more steps (open in chrome://tracing)
    torch::autograd::profiler::RecordProfile guard(profile);
    for (int i = 0; i < 3; ++i) {
      training::TrainStep(model, optimizer, {data[i]}, 2e-4, 1.0, true, 1234, i);
    }
  }
#else
  if (!profile.empty()) std::fprintf(stderr, "--profile needs LibTorch 1.x here\n");
#endif
  std::sort(times.begin(), times.end());
  std::sort(cpu_times.begin(), cpu_times.end());
  const double cpu_median = cpu_times.size() % 2
                                ? cpu_times[cpu_times.size() / 2]
                                : 0.5 * (cpu_times[cpu_times.size() / 2 - 1] +
                                         cpu_times[cpu_times.size() / 2]);
  const size_t n = times.size();
  const double median = n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  const double tokens_per_s = B * T / median;
  json::Json line;
  line["program"] = "datawall_cpp";
  line["shape"] = name;
  line["vocab"] = s.vocab;
  line["d"] = s.d;
  line["heads"] = s.heads;
  line["layers"] = s.layers;
  line["seq"] = s.seq;
  line["batch"] = s.batch;
  line["params"] = model->NumParams();
  line["median_step_seconds"] = median;
  line["tokens_per_s"] = tokens_per_s;
  line["cpu_tokens_per_s"] = B * T / cpu_median;
  line["cpu_tokens_per_s_best"] = B * T / cpu_times.front();
  line["min_step_seconds"] = times.front();
  line["max_step_seconds"] = times.back();
  line["steps"] = steps;
  line["warmup"] = warmup;
  line["loss_first"] = first_loss;
  line["loss_last"] = last_loss;
  line["torch"] = training::TorchVersion();
  line["threads"] = threads;
  line["device"] = device.str();
  line["blas"] = device.is_cuda() ? std::string("cuBLAS") : training::BlasDescription();
  line["host_memory"] = host_memory;
  line["precision"] = !device.is_cuda() ? "float32" : bf16_weights ? "bf16 weights" : "bf16 autocast";
  if (device.is_cuda()) {
    const double flops_per_token = models::TrainFlopsPerToken(shape);
    const double achieved = flops_per_token * tokens_per_s;
    line["flops_per_token"] = flops_per_token;
    line["achieved_tflops"] = achieved / 1e12;
    line["peak_tflops"] = peak_tflops;
    line["mfu"] = achieved / (peak_tflops * 1e12);
  }
  std::string text;
  if (const Result r = json::DumpFinite(line, -1, &text); !r.ok()) {
    return Result::Internal("shape " + name + ": " + r.message());
  }
  std::printf("%s\n", text.c_str());
  std::fflush(stdout);
  return Result::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = Flag(argc, argv, "shape", "all");
  const int steps = std::stoi(Flag(argc, argv, "steps", "20"));
  const int warmup = std::stoi(Flag(argc, argv, "warmup", "5"));
  const int threads = std::stoi(Flag(argc, argv, "threads", "1"));
  const std::string device_name = Flag(argc, argv, "device", "cpu");
  const double peak = std::stod(Flag(argc, argv, "peak_tflops", "989"));
  const std::string batch = Flag(argc, argv, "batch", "");
  torch::Device device(torch::kCPU);
  std::string description;
  if (!training::ResolveDevice(device_name, &device, &description)) {
    std::fprintf(stderr, "train_throughput: --device=%s: not available\n", device_name.c_str());
    return 2;
  }
  training::SetThreads(threads);
  const std::string host_memory_flag = Flag(argc, argv, "host_memory", "reuse");
  if (host_memory_flag != "reuse" && host_memory_flag != "default") {
    std::fprintf(stderr, "train_throughput: --host_memory=%s: expected reuse or default\n",
                 host_memory_flag.c_str());
    return 2;
  }
  const std::string host_memory = device.is_cuda() || host_memory_flag == "default"
                                      ? std::string("default")
                                      : training::ReuseFreedHostMemory();
  const std::string precision = Flag(argc, argv, "precision", "bf16");
  if (precision != "bf16" && precision != "autocast") {
    std::fprintf(stderr, "train_throughput: --precision=%s: expected bf16 or autocast\n",
                 precision.c_str());
    return 2;
  }
  const bool bf16_weights = device.is_cuda() && precision == "bf16";
  std::vector<std::string> names;
  if (which == "all") names = {"a", "b", "c"};
  else names = {which};
  for (const std::string& name : names) {
    auto it = kShapes.find(name);
    if (it == kShapes.end()) {
      std::fprintf(stderr, "train_throughput: --shape=%s: unknown (a, b, c, gpt2, d512, all)\n",
                   name.c_str());
      return 2;
    }
    Shape s = it->second;
    if (!batch.empty()) s.batch = std::stoi(batch);
    const Result r = Bench(name, s, steps, warmup, threads, device, peak,
                           Flag(argc, argv, "profile", ""), host_memory, bf16_weights);
    if (!r.ok()) {
      std::fprintf(stderr, "train_throughput: %s\n", r.message().c_str());
      return r.exit_code();
    }
  }
  return 0;
}
