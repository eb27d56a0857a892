// The training loop (see trainer.h): prepare data, build, (resume), step, evaluate, checkpoint.
// Data parallel (options.world, data_parallel.h): every rank trains sequences
// [rank * B / W, (rank + 1) * B / W) of each global micro-batch, gradients are averaged, the
// validation set is shared out; rank 0 alone writes checkpoints and TensorBoard and calls
// on_eval. Shapes: B batch_size (global), W world size, T seq_len, N validation sequences,
// P parameters.
#include "experiments/training/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/DeviceGuard.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>

#include "data/budget.h"
#include "data/sampler.h"
#include "data/shard.h"
#include "experiments/training/checkpoint.h"
#include "experiments/training/data_parallel.h"
#include "experiments/training/event_writer.h"
#include "experiments/training/flat_adamw.h"
#include "experiments/training/host_memory.h"
#include "experiments/training/schedule.h"
#include "experiments/training/train_step.h"
#include "models/gpt.h"
#include "tools/io/checksum.h"

namespace datawall::training {
namespace {

using Clock = std::chrono::steady_clock;

Result Invalid(const std::string& message) { return Result::BadInput(message); }
Result Failed(const std::string& message) { return Result::Internal(message); }

// The training sequences: one RepeatSampler, or a fixed-fraction mixture of several.
struct Data {
  std::unique_ptr<data::RepeatSampler> single;
  std::unique_ptr<data::MixtureSampler> mixture;
  torch::Tensor validation;  // (N, T + 1) int64
  std::string hash;
  std::string tokenizer_id;
  std::vector<BudgetSummary> budgets;  // one per source
  double validation_source_tv = 0;

  void Sequence(int64_t index, int32_t* out) const {
    if (single) single->Sequence(index, out);
    else mixture->Sequence(index, out);
  }
};

// Opens and checks every shard; all failures here are the spec's (exit 2).
Result PrepareData(const TrainOptions& o, Data* d) {
  const int64_t T = o.model.seq_len;
  io::Checksum hash;
  std::vector<data::RepeatSampler> samplers;
  std::vector<double> fractions;
  for (size_t i = 0; i < o.data.size(); ++i) {
    const DataSourceOptions& src = o.data[i];
    std::unique_ptr<data::Shard> shard;
    if (Result r = data::Shard::Open(src.shard, &shard); !r.ok()) {
      return r.WithContext("data shard");
    }
    if (shard->info().vocab_size > static_cast<uint32_t>(o.model.vocab_size)) {
      return Invalid("data shard " + src.shard + " has vocabulary " +
                     std::to_string(shard->info().vocab_size) + " > model vocab_size " +
                     std::to_string(o.model.vocab_size));
    }
    const int64_t budget = src.unique_tokens > 0 ? src.unique_tokens : o.unique_tokens;
    data::BudgetOptions cut;
    cut.unique_tokens = budget;
    cut.order_seed = o.data_order_seed;
    cut.order = o.budget_order;
    cut.chunk_tokens = o.chunk_tokens();
    std::vector<int32_t> unique;
    BudgetSummary summary{src.name, {}};
    if (Result r = data::MakeBudget(*shard, cut, &unique, &summary.mix); !r.ok()) {
      return r.WithContext("data source '" + src.name + "'");
    }
    d->budgets.push_back(std::move(summary));
    if (static_cast<int64_t>(unique.size()) < T + 1) {
      return Invalid("seq_len " + std::to_string(T) + " is larger than the data: source '" +
                     src.name + "' has " + std::to_string(unique.size()) + " unique tokens");
    }
    hash.Update(shard->checksum());
    if (d->tokenizer_id.find(shard->info().tokenizer_id) == std::string::npos) {
      d->tokenizer_id += (d->tokenizer_id.empty() ? "" : ",") + shard->info().tokenizer_id;
    }
    hash.Update(std::to_string(budget) + "/" + std::to_string(o.data_order_seed) + "/" +
                std::to_string(src.fraction));
    if (o.budget_order != data::BudgetOrder::kDocuments) {  // older records hashed no more
      hash.Update(std::string("/") + data::BudgetOrderName(o.budget_order) + "/" +
                  std::to_string(cut.chunk_tokens));
    }
    samplers.emplace_back(std::move(unique), T, o.seed + i);
    fractions.push_back(src.fraction);
  }
  if (samplers.size() == 1) {
    d->single = std::make_unique<data::RepeatSampler>(std::move(samplers[0]));
  } else {
    d->mixture = std::make_unique<data::MixtureSampler>(std::move(samplers), fractions);
  }
  std::unique_ptr<data::Shard> val;
  if (Result r = data::Shard::Open(o.validation_shard, &val); !r.ok()) {
    return r.WithContext("validation shard");
  }
  if (val->num_tokens() < o.eval_tokens) {
    return Invalid("eval_tokens " + std::to_string(o.eval_tokens) + " exceeds the " +
                   std::to_string(val->num_tokens()) + " tokens of validation shard " +
                   o.validation_shard);
  }
  const int64_t n = (o.eval_tokens - 1) / T;
  if (n < 1) return Invalid("seq_len is larger than the validation set");
  // The fixed validation set: seed 0 whatever the run's seeds, so every run sees the same one.
  data::BudgetOptions cut;
  cut.unique_tokens = n * T + 1;
  cut.order = o.validation_order;
  cut.chunk_tokens = o.chunk_tokens();
  std::vector<int32_t> tokens;
  data::SourceMix mix;
  if (Result r = data::MakeBudget(*val, cut, &tokens, &mix); !r.ok()) {
    return r.WithContext("validation set");
  }
  d->validation_source_tv = mix.source_tv;
  auto flat = torch::from_blob(tokens.data(), {n * T + 1}, torch::kInt32).to(torch::kLong);
  d->validation = flat.narrow(0, 0, n * T + 1).as_strided({n, T + 1}, {T, 1}).contiguous();
  hash.Update(val->checksum());
  hash.Update(std::to_string(o.eval_tokens));
  if (o.validation_order != data::BudgetOrder::kShardPrefix) {  // older records hashed no more
    hash.Update(std::string("/") + data::BudgetOrderName(o.validation_order) + "/" +
                std::to_string(cut.chunk_tokens));
  }
  d->hash = hash.HexDigest();
  return {};
}

// This rank's slice of each global micro-batch: B / W sequences (all B in one process).
std::vector<MicroBatch> MakeBatches(const Data& data, const TrainOptions& o, int64_t step,
                                    const torch::Device& device) {
  const int64_t W = o.world.world_size;
  const int64_t B = o.batch_size / W, T = o.model.seq_len;
  std::vector<MicroBatch> out;
  std::vector<int32_t> buffer(static_cast<size_t>(B * (T + 1)));
  for (int64_t m = 0; m < o.grad_accumulation; ++m) {
    const int64_t first = (step * o.grad_accumulation + m) * o.batch_size + o.world.rank * B;
    for (int64_t b = 0; b < B; ++b) data.Sequence(first + b, buffer.data() + b * (T + 1));
    auto seqs = torch::from_blob(buffer.data(), {B, T + 1}, torch::kInt32)
                    .to(torch::kLong)
                    .to(device);                                     // (B, T + 1)
    out.push_back({seqs.narrow(1, 0, T), seqs.narrow(1, 1, T)});     // (B, T) each
  }
  return out;
}

std::string Fingerprint(const TrainOptions& o, const std::string& data_hash) {
  std::ostringstream os;
  os.precision(17);
  os << o.model.DebugString() << " D=" << o.total_tokens << " U=" << o.unique_tokens
     << " seed=" << o.seed << " order=" << o.data_order_seed << " lr=" << o.max_lr << "/"
     << o.min_lr << " betas=" << o.beta1 << "/" << o.beta2 << " eps=" << o.eps
     << " wd=" << o.weight_decay << " clip=" << o.grad_clip << " warmup=" << o.warmup_fraction
     << " batch=" << o.batch_size << "x" << o.grad_accumulation << " data=" << data_hash;
  return os.str();
}

std::string TensorBytes(const torch::Tensor& t) {
  auto cpu = t.detach().to(torch::kCPU).contiguous();
  return std::string(static_cast<const char*>(cpu.data_ptr()), cpu.nbytes());
}

bool RestoreTensor(const Checkpoint& c, const std::string& name, torch::Tensor& into) {
  const std::string* bytes = c.Blob(name);
  if (!bytes || bytes->size() != static_cast<size_t>(into.nbytes())) return false;
  auto cpu = torch::empty(into.sizes(), into.options().device(torch::kCPU));
  std::memcpy(cpu.data_ptr(), bytes->data(), bytes->size());
  torch::NoGradGuard no_grad;
  into.copy_(cpu);
  return true;
}

std::string FormatDuration(double seconds) {
  char buf[64];
  const int64_t s = static_cast<int64_t>(seconds);
  if (s >= 3600) std::snprintf(buf, sizeof(buf), "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) std::snprintf(buf, sizeof(buf), "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof(buf), "%lds", s);
  return buf;
}

Result TrainImpl(const TrainOptions& o, TrainSummary* summary);

}  // namespace

Result Train(const TrainOptions& o, TrainSummary* summary) {
  try {
    return TrainImpl(o, summary);
  } catch (const std::exception& e) {
    if (o.world.world_size == 1) throw;
    std::string what = e.what();
    return Failed(what.substr(0, what.find('\n')));  // a rank died or a collective timed out
  }
}

namespace {

Result TrainImpl(const TrainOptions& o, TrainSummary* summary) {
  const auto wall_start = Clock::now();
  *summary = TrainSummary();
  if (Result r = o.Validate(); !r.ok()) return r;
  Data data;
  if (Result s = PrepareData(o, &data); !s.ok()) return s;
  const std::string checkpoint_dir = o.out_dir.empty() ? "" : o.out_dir + "/checkpoints";
  if (!o.resume && !checkpoint_dir.empty() && !ListCheckpoints(checkpoint_dir).empty()) {
    return Invalid(checkpoint_dir + " already holds checkpoints: pass --resume or use a new "
                   "output directory");
  }
  torch::Device device(torch::kCPU);
  if (!ResolveDevice(o.device, &device, &summary->device)) {
    return Invalid("device cuda requested but CUDA is not available");
  }
  const int W = o.world.world_size;
  const bool rank0 = o.world.rank == 0;
  std::unique_ptr<DataParallel> dp;
  std::optional<c10::DeviceGuard> device_guard;
  if (W > 1) {
    if (device.is_cuda()) {  // one GPU per rank on a node (or the one srun made visible)
      const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
      device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(o.world.local_rank % count));
      summary->device = device.str();
      device_guard.emplace(device);
    }
    if (Result r = DataParallel::Connect(o.world, device, &dp); !r.ok()) return r;
  }
  SetThreads(o.threads);
  summary->host_memory = device.is_cuda() ? "default" : ReuseFreedHostMemory();
  summary->torch_version = TorchVersion();
  summary->blas = device.is_cuda() ? "cuBLAS" : BlasDescription();
  summary->data_hash = data.hash;
  summary->budgets = data.budgets;
  summary->validation_source_tv = data.validation_source_tv;
  summary->tokenizer_id = data.tokenizer_id;
  summary->total_steps = o.total_steps();
  const int64_t total_steps = summary->total_steps;
  const int64_t warmup = WarmupSteps(total_steps, o.warmup_fraction);
  const int64_t eval_every = o.eval_every_steps > 0 ? o.eval_every_steps : total_steps;
  const int64_t ckpt_every = o.checkpoint_every_steps > 0 ? o.checkpoint_every_steps : total_steps;
  const std::string fingerprint = Fingerprint(o, data.hash);

  // Model and optimiser: initialisation is a function of the seed alone (built on the CPU).
  torch::manual_seed(o.seed);
  models::GPT model(o.model);
  model->to(device);
  model->train();
  const bool bf16_weights = device.is_cuda() && o.bf16 && o.bf16_weights;
  FlatAdamW optimizer(*model, {o.beta1, o.beta2, o.eps, o.weight_decay},
                      bf16_weights ? torch::kBFloat16 : torch::kFloat32);
  if (device.is_cuda()) {
    summary->device += !o.bf16        ? " float32"
                       : bf16_weights ? " bf16 (bf16 weights, float32 master weights)"
                                      : " bf16 autocast";
  }
  if (dp) {
    summary->device += ", " + std::to_string(W) + " data-parallel ranks (" + dp->backend() + ")";
  }
  summary->params = model->NumParams();
  torch::Tensor validation = data.validation.to(device);
  summary->eval_tokens_used = validation.size(0) * o.model.seq_len;

  int64_t start_step = 0;
  if (o.resume) {
    Checkpoint c;
    if (LoadLatestCheckpoint(checkpoint_dir, &c, &summary->messages)) {
      if (c.fingerprint != fingerprint) {
        return Invalid("checkpoint in " + checkpoint_dir + " was written by a different spec (" +
                       c.fingerprint + ")");
      }
      const std::string* world_blob = c.Blob("world_size");  // absent: one process
      const std::string written_world = world_blob ? *world_blob : "1";
      if (written_world != std::to_string(W)) {
        return Invalid("checkpoint " + CheckpointPath(checkpoint_dir, c.step) + " was written by " +
                       written_world + " data-parallel rank(s), this run has " +
                       std::to_string(W) + ": resume with the same world size (--nproc=" +
                       written_world + ")");
      }
      torch::Tensor rng = torch::empty({0}, torch::kUInt8);
      if (!RestoreTensor(c, "params", optimizer.params()) ||
          !RestoreTensor(c, "exp_avg", optimizer.exp_avg()) ||
          !RestoreTensor(c, "exp_avg_sq", optimizer.exp_avg_sq())) {
        return Failed("checkpoint step " + std::to_string(c.step) + " does not fit this model");
      }
      optimizer.set_step_count(c.step);
      optimizer.SyncWeights();
      if (const std::string* cpu_rng = c.Blob("rng_cpu")) {
        auto state = torch::empty({static_cast<int64_t>(cpu_rng->size())}, torch::kUInt8);
        std::memcpy(state.data_ptr(), cpu_rng->data(), cpu_rng->size());
        at::Generator gen = at::detail::getDefaultCPUGenerator();
        gen.set_state(state);
      }
      start_step = c.step;
      summary->resumed_from_step = c.step;
      summary->train_loss = c.train_loss;
      summary->val_loss = c.val_loss;
      summary->lr = c.lr;
      summary->messages.push_back("resumed from " + CheckpointPath(checkpoint_dir, c.step));
    } else {
      summary->messages.push_back("no valid checkpoint in " + checkpoint_dir + ": starting fresh");
    }
  }
  for (const std::string& m : summary->messages) std::fprintf(stderr, "[%s] %s\n", o.name.c_str(), m.c_str());
  if (dp) {  // every rank resumed from the same step (and finished loading: a barrier)
    torch::Tensor steps = torch::tensor({static_cast<double>(start_step),
                                         -static_cast<double>(start_step)},
                                        torch::kFloat64).to(device);           // (2)
    dp->AllReduce(steps, DataParallel::Op::kMax);
    steps = steps.cpu();
    if (steps[0].item<double>() != -steps[1].item<double>()) {
      return Failed("data-parallel ranks resumed from different steps (" +
                    std::to_string(static_cast<int64_t>(-steps[1].item<double>())) + " to " +
                    std::to_string(static_cast<int64_t>(steps[0].item<double>())) +
                    "): do they share " + checkpoint_dir + "?");
    }
  }

  EventWriter events;
  if (o.tensorboard && !o.out_dir.empty() && rank0) {
    if (Result r = events.Open(o.out_dir + "/tensorboard"); !r.ok()) return r;
  }
  auto save = [&](int64_t steps_done) -> Result {
    if (checkpoint_dir.empty() || !rank0) return Result::Ok();
    Checkpoint c;
    c.step = steps_done;
    c.fingerprint = fingerprint;
    c.train_loss = summary->train_loss;
    c.val_loss = summary->val_loss;
    c.lr = summary->lr;
    c.blobs.emplace_back("params", TensorBytes(optimizer.params()));
    c.blobs.emplace_back("exp_avg", TensorBytes(optimizer.exp_avg()));
    c.blobs.emplace_back("exp_avg_sq", TensorBytes(optimizer.exp_avg_sq()));
    c.blobs.emplace_back("rng_cpu", TensorBytes(at::detail::getDefaultCPUGenerator().get_state()));
    if (W > 1) c.blobs.emplace_back("world_size", std::to_string(W));
    return WriteCheckpoint(checkpoint_dir, c, o.keep_checkpoints);
  };

  const int64_t tokens_per_step = o.tokens_per_step();
  double train_seconds = 0;
  int64_t trained_here = 0;
  auto last_progress = Clock::now();
  summary->steps = start_step;
  for (int64_t step = start_step; step < total_steps; ++step) {
    const auto t0 = Clock::now();
    const double lr = LearningRate(step, total_steps, warmup, o.max_lr, o.min_lr);
    std::vector<MicroBatch> batches = MakeBatches(data, o, step, device);
    const StepResult r =
        TrainStep(model, optimizer, batches, lr, o.grad_clip, o.bf16, o.seed, step, dp.get());
    train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    if (!std::isfinite(r.loss)) {
      const auto kept = ListCheckpoints(checkpoint_dir);
      return Failed("non-finite training loss (" + std::to_string(r.loss) + ") at step " +
                    std::to_string(step + 1) + "; stopped, last good checkpoint: " +
                    (kept.empty() ? std::string("none") : kept.back()));
    }
    const int64_t done = step + 1;
    const int64_t tokens = done * tokens_per_step;
    ++trained_here;
    summary->steps = done;
    summary->train_loss.push_back({done, tokens, r.loss});
    summary->lr.push_back({done, tokens, lr});
    events.AddScalar("train/loss", tokens, r.loss);
    events.AddScalar("train/lr", tokens, lr);
    events.AddScalar("train/grad_norm", tokens, r.grad_norm);
    if (done % eval_every == 0 || done == total_steps) {
      const bool autocast_eval = o.bf16 && !bf16_weights;
      const EvalLoss eval =
          dp ? EvaluateShared(model, validation, o.batch_size / W, autocast_eval, *dp)
             : Evaluate(model, validation, o.batch_size, autocast_eval);
      const double val = eval.mean;
      if (!std::isfinite(val) || !std::isfinite(eval.standard_error)) {
        return Failed("non-finite validation loss at step " + std::to_string(done) + "; stopped");
      }
      summary->val_loss.push_back({done, tokens, val});
      events.AddScalar("val/loss", tokens, val);
      summary->final_val_loss = val;
      summary->final_val_loss_se = eval.standard_error;
    }
    summary->trained_tokens = tokens;
    summary->train_tokens_per_second = trained_here * tokens_per_step / train_seconds;
    if (done % ckpt_every == 0 || done == total_steps) {
      if (Result r = save(done); !r.ok()) return r;
    }
    if ((done % eval_every == 0 || done == total_steps) && o.on_eval && rank0) {
      summary->wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
      summary->complete = done == total_steps;
      summary->flops = models::SimpleFlops(summary->params, tokens);
      summary->full_flops = models::FullFlops(o.model, tokens);
      o.on_eval(*summary);
    }
    if (o.progress_every_seconds > 0 && rank0 &&
        (std::chrono::duration<double>(Clock::now() - last_progress).count() >=
             o.progress_every_seconds ||
         done == total_steps)) {
      last_progress = Clock::now();
      const double eta = (total_steps - done) * tokens_per_step / summary->train_tokens_per_second;
      std::fprintf(stderr, "[%s] step %ld/%ld (%.0f%%) | loss %.4f | lr %.2e | %.0f tok/s | ETA %s\n",
                   o.name.c_str(), done, total_steps, 100.0 * done / total_steps, r.loss, lr,
                   summary->train_tokens_per_second, FormatDuration(eta).c_str());
    }
  }
  summary->complete = summary->steps == total_steps && !summary->val_loss.empty() &&
                      summary->val_loss.back().step == total_steps;
  summary->trained_tokens = summary->steps * tokens_per_step;
  summary->flops = models::SimpleFlops(summary->params, summary->trained_tokens);
  summary->full_flops = models::FullFlops(o.model, summary->trained_tokens);
  summary->wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
  if (!summary->val_loss.empty()) summary->final_val_loss = summary->val_loss.back().value;
  return {};
}

}  // namespace

}  // namespace datawall::training
