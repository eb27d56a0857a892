// train_lite: the training loop without protobuf/Abseil, for machines with only LibTorch (the
// GPU machine's CMake build, gpu/CMakeLists.txt). Settings come from key=value files and
// arguments (options_text.h), applied in order, later ones winning:
//
//   train_lite CONFIG.txt [more.txt] [key=value ...]
//   train_lite --make_markov_shard=PATH vocab=N tokens=N seed=N stream=N   (synthetic data)
//
// Writes out_dir/summary.txt (final_val_loss, tokens/s, device, ...) and the same checkpoints
// and TensorBoard files as //experiments:train. Exit codes: 0 done, 2 bad settings or data,
// 1 the run failed.
#include <cstdio>
#include <cstring>
#include <string>

#include "experiments/training/options_text.h"
#include "experiments/training/synthetic_data.h"
#include "experiments/training/trainer.h"
#include "tools/io/atomic_file.h"

namespace {

using namespace datawall;

int MakeShard(const std::string& path, int argc, char** argv) {
  training::MarkovSource source;
  int64_t tokens = 1000000, stream = 0;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq), value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (key == "vocab") source.vocab_size = std::stoll(value);
    else if (key == "tokens") tokens = std::stoll(value);
    else if (key == "seed") source.seed = std::stoull(value);
    else if (key == "stream") stream = std::stoll(value);
    else if (key == "branching") source.branching = std::stoll(value);
    else {
      std::fprintf(stderr, "train_lite: unknown shard setting '%s'\n", arg.c_str());
      return 2;
    }
  }
  if (const Result r = training::WriteMarkovShard(path, source, tokens, stream); !r.ok()) {
    std::fprintf(stderr, "train_lite: %s\n", r.message().c_str());
    return r.exit_code();
  }
  std::printf("wrote %s: %ld tokens, vocab %ld, entropy rate <= %.3f nats\n", path.c_str(),
              tokens, source.vocab_size, source.EntropyRate());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: train_lite CONFIG.txt [key=value ...]\n");
    return 2;
  }
  const char* shard_flag = "--make_markov_shard=";
  if (std::strncmp(argv[1], shard_flag, std::strlen(shard_flag)) == 0) {
    return MakeShard(argv[1] + std::strlen(shard_flag), argc, argv);
  }
  training::TrainOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    Result applied;
    if (eq != std::string::npos && arg.find('/') > eq) {  // key=value (a path has no '=' first)
      applied = training::ApplyOption(arg.substr(0, eq), arg.substr(eq + 1), &options);
    } else {
      std::string text;
      applied = io::ReadFile(arg, &text);
      if (applied.ok()) applied = training::ApplyOptionsText(text, arg, &options);
    }
    if (!applied.ok()) {
      std::fprintf(stderr, "train_lite: %s\n", applied.message().c_str());
      return applied.exit_code();
    }
  }
  training::TrainSummary summary;
  const Result status = training::Train(options, &summary);
  if (!status.ok()) {
    std::fprintf(stderr, "train_lite: %s\n", status.message().c_str());
    return status.exit_code();
  }
  char text[2048];
  std::snprintf(text, sizeof(text),
                "name = %s\nfinal_val_loss = %.17g\ncomplete = %s\nparams = %ld\nsteps = %ld\n"
                "trained_tokens = %ld\nflops = %.6g\ntrain_tokens_per_second = %.1f\n"
                "wall_seconds = %.2f\ndevice = %s\ntorch = %s\ndata_hash = %s\n"
                "resumed_from_step = %ld\n",
                options.name.c_str(), summary.final_val_loss, summary.complete ? "true" : "false",
                summary.params, summary.steps, summary.trained_tokens, summary.flops,
                summary.train_tokens_per_second, summary.wall_seconds, summary.device.c_str(),
                summary.torch_version.c_str(), summary.data_hash.c_str(),
                summary.resumed_from_step);
  std::printf("%s", text);
  if (!options.out_dir.empty()) {
    const Result written = io::WriteFileAtomically(options.out_dir + "/summary.txt", text);
    if (!written.ok()) std::fprintf(stderr, "train_lite: %s\n", written.message().c_str());
  }
  return 0;
}
