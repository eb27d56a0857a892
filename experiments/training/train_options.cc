// TrainOptions validation and TrainSummary reports (see train_options.h). Standard library only.
#include "experiments/training/train_options.h"

#include <cmath>
#include <sstream>

namespace datawall::training {

Result ValidateWorld(const WorldOptions& world, int64_t batch_size) {
  auto fail = [](const std::string& what) { return Result::BadInput(what); };
  const std::string n = std::to_string(world.world_size);
  if (world.world_size < 1) return fail("world size must be >= 1, got " + n);
  if (world.world_size > batch_size) {
    return fail("world size " + n + " exceeds batch_size " + std::to_string(batch_size) +
                ": data parallelism gives every rank a slice of each batch, so at most " +
                std::to_string(batch_size) + " ranks");
  }
  if (batch_size % world.world_size != 0) {
    return fail("batch_size " + std::to_string(batch_size) + " is not divisible by the world size " +
                n + " (every rank trains batch_size / world_size sequences of each batch)");
  }
  if (world.rank < 0 || world.rank >= world.world_size) {
    return fail("rank " + std::to_string(world.rank) + " is outside world size " + n);
  }
  if (world.world_size > 1 && (world.master_port < 1 || world.master_port > 65535)) {
    return fail("master port " + std::to_string(world.master_port) + " is not in 1..65535");
  }
  if (!(world.timeout_seconds > 0)) return fail("data-parallel timeout must be positive");
  return Result::Ok();
}

int64_t TrainOptions::total_steps() const {
  const int64_t per_step = tokens_per_step();
  if (per_step <= 0) return 0;
  return (total_tokens + per_step - 1) / per_step;
}

Result TrainOptions::Validate() const {
  auto fail = [](const std::string& what) { return Result::BadInput(what); };
  if (Result r = model.Validate(); !r.ok()) return r;
  if (total_tokens <= 0) return fail("total_tokens must be positive");
  if (unique_tokens <= 0) return fail("unique_tokens must be positive");
  if (unique_tokens > total_tokens) {
    return fail("unique_tokens (U = " + std::to_string(unique_tokens) +
                ") exceeds total_tokens (D = " + std::to_string(total_tokens) + ")");
  }
  if (batch_size <= 0) return fail("batch_size must be positive");
  if (grad_accumulation <= 0) return fail("grad_accumulation must be positive");
  if (!(max_lr > 0)) return fail("max_lr must be positive");
  if (!(min_lr >= 0 && min_lr <= max_lr)) return fail("min_lr must be in [0, max_lr]");
  if (!(beta1 >= 0 && beta1 < 1)) return fail("beta1 must be in [0, 1)");
  if (!(beta2 >= 0 && beta2 < 1)) return fail("beta2 must be in [0, 1)");
  if (!(eps > 0)) return fail("eps must be positive");
  if (!(weight_decay >= 0)) return fail("weight_decay must be >= 0");
  if (!(grad_clip >= 0)) return fail("grad_clip must be >= 0");
  if (!(warmup_fraction >= 0 && warmup_fraction < 1)) {
    return fail("warmup_fraction must be in [0, 1)");
  }
  if (data.empty()) return fail("no training data source");
  double fractions = 0;
  int64_t source_unique = 0;
  for (const DataSourceOptions& d : data) {
    if (d.shard.empty()) return fail("data source '" + d.name + "' has no shard path");
    if (!(d.fraction > 0)) return fail("data source '" + d.name + "' needs a positive fraction");
    if (data.size() > 1 && d.unique_tokens <= 0) {
      return fail("data source '" + d.name + "' needs unique_tokens in a mixture");
    }
    fractions += d.fraction;
    source_unique += d.unique_tokens;
  }
  if (std::fabs(fractions - 1.0) > 1e-9) return fail("data fractions must sum to 1");
  if (data.size() > 1 && source_unique != unique_tokens) {
    return fail("unique_tokens must equal the sum of the sources' unique_tokens");
  }
  if (data.size() == 1 && data[0].unique_tokens != 0 && data[0].unique_tokens != unique_tokens) {
    return fail("data source unique_tokens disagrees with unique_tokens");
  }
  if (validation_shard.empty()) return fail("validation_shard is required");
  if (budget_chunk_tokens < 0) {
    return fail("budget_chunk_tokens must be >= 0 (0 = seq_len), got " +
                std::to_string(budget_chunk_tokens));
  }
  if (eval_tokens <= model.seq_len) {
    return fail("seq_len " + std::to_string(model.seq_len) +
                " is larger than the data: eval_tokens (" + std::to_string(eval_tokens) +
                ") must exceed it");
  }
  if (eval_every_steps < 0) return fail("eval_every_steps must be >= 0");
  if (checkpoint_every_steps < 0) return fail("checkpoint_every_steps must be >= 0");
  if (keep_checkpoints < 1) return fail("keep_checkpoints must be >= 1");
  if (resume && out_dir.empty()) return fail("resume needs an output directory");
  if (device != "auto" && device != "cpu" && device != "cuda") {
    return fail("device must be auto, cpu or cuda, got '" + device + "'");
  }
  if (threads < 1) return fail("threads must be >= 1");
  if (Result r = ValidateWorld(world, batch_size); !r.ok()) return r;
  return Result::Ok();
}

std::string TrainSummary::BriefReport() const {
  std::ostringstream os;
  os << (complete ? "complete" : "incomplete") << ": steps " << steps << "/" << total_steps
     << ", tokens " << trained_tokens << ", params " << params << ", final_val_loss "
     << final_val_loss << ", " << static_cast<int64_t>(train_tokens_per_second) << " tok/s, "
     << wall_seconds << " s on " << device;
  if (resumed_from_step >= 0) os << " (resumed from step " << resumed_from_step << ")";
  return os.str();
}

}  // namespace datawall::training
