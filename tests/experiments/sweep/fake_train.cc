// A stand-in for the train CLI, for the runner's unit tests: same command line
// (--spec=FILE --out=DIR --data_root=DIR [--resume]), same outputs (DIR/record.textproto with `complete`,
// DIR/checkpoints/), no LibTorch. Its "loss" is a deterministic function of the spec and of
// every step, so a resumed run ends with exactly the loss of an uninterrupted one only if the
// runner resumed it from the right checkpoint. It detects a second concurrent launch on the
// same DIR (flock) and records it in DIR/DUPLICATE, and logs every launch (with its data root)
// to DIR/launches.log.
// Environment knobs: FAKE_TRAIN_STEP_MS (sleep per step, default 2), FAKE_TRAIN_EXIT_AFTER
// (exit 3 after this many steps of this launch), FAKE_TRAIN_FAIL_ONCE (exit 3 half way through
// unless DIR/failed_once exists, which it then creates), FAKE_TRAIN_TIMELINE (a file to which
// each completed launch appends "CUDA_VISIBLE_DEVICES start_ms end_ms", for placement tests).
// Not a model of training: no data is read.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "experiments/records/run_record.pb.h"
#include "google/protobuf/text_format.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"

namespace fs = std::filesystem;
using datawall::experiments::RunRecord;
using datawall::experiments::RunSpec;

static int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

// Writes a file atomically; false (after saying why on stderr) when it cannot.
static bool Write(const std::string& path, const std::string& text) {
  const datawall::Result r = datawall::io::WriteFileAtomically(path, text);
  if (!r.ok()) std::fprintf(stderr, "fake_train: %s\n", r.message().c_str());
  return r.ok();
}

int main(int argc, char** argv) {
  std::string spec_path, out, data_root;
  bool resume = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--spec=", 0) == 0) spec_path = a.substr(7);
    else if (a.rfind("--out=", 0) == 0) out = a.substr(6);
    else if (a.rfind("--data_root=", 0) == 0) data_root = a.substr(12);
    else if (a == "--resume") resume = true;
  }
  std::string text;
  RunSpec spec;
  const datawall::Result read = spec_path.empty() || out.empty()
                                    ? datawall::Result::BadInput("--spec and --out are required")
                                    : datawall::io::ReadFile(spec_path, &text);
  if (!read.ok() || !google::protobuf::TextFormat::ParseFromString(text, &spec)) {
    std::fprintf(stderr, "fake_train: bad --spec/--out %s\n", read.message().c_str());
    return 2;
  }
  fs::create_directories(out + "/checkpoints");
  const int lock = open((out + "/fake.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
    return Write(out + "/DUPLICATE", "two trainers at once\n") ? 4 : 1;
  }
  const int64_t steps = std::clamp<int64_t>(spec.total_tokens() / 1000, 1, 40);
  int64_t step = 0;
  uint64_t state = datawall::io::Checksum64(text.data(), text.size());
  if (resume) {
    for (const auto& entry : fs::directory_iterator(out + "/checkpoints")) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("step-", 0) != 0 || name.find(".tmp") != std::string::npos) continue;
      const int64_t s = std::atoll(name.c_str() + 5);
      if (s > step) {
        std::string ck;
        if (datawall::io::ReadFile(entry.path().string(), &ck).ok()) {
          step = s;
          state = std::strtoull(ck.c_str(), nullptr, 10);
        }
      }
    }
  }
  {
    FILE* log = std::fopen((out + "/launches.log").c_str(), "a");
    std::fprintf(log, "pid=%d resume=%d start_step=%lld data_root=%s\n", getpid(), resume ? 1 : 0,
                 static_cast<long long>(step), data_root.c_str());
    std::fclose(log);
  }
  const auto start = std::chrono::system_clock::now();
  const int step_ms = EnvInt("FAKE_TRAIN_STEP_MS", 2);
  const int exit_after = EnvInt("FAKE_TRAIN_EXIT_AFTER", -1);
  const bool fail_once = std::getenv("FAKE_TRAIN_FAIL_ONCE") != nullptr &&
                         !fs::exists(out + "/failed_once");
  int64_t done_here = 0;
  while (step < steps) {
    std::this_thread::sleep_for(std::chrono::milliseconds(step_ms));
    state = datawall::io::Checksum64(&state, sizeof(state), static_cast<uint64_t>(step));
    ++step;
    ++done_here;
    if (!Write(out + "/checkpoints/step-" + std::to_string(step), std::to_string(state))) return 1;
    if (done_here == exit_after || (fail_once && step == steps / 2 + 1)) {
      if (fail_once && !Write(out + "/failed_once", "")) return 1;
      return 3;
    }
  }
  RunRecord record;
  *record.mutable_spec() = spec;
  record.set_final_val_loss(1.0 + static_cast<double>(state % 1000000) / 1e6);
  record.set_complete(true);
  std::string record_text;
  google::protobuf::TextFormat::PrintToString(record, &record_text);
  if (!Write(out + "/record.textproto", record_text)) return 1;
  if (const char* timeline = std::getenv("FAKE_TRAIN_TIMELINE")) {
    const auto ms = [](std::chrono::system_clock::time_point t) {
      return static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
    };
    const char* device = std::getenv("CUDA_VISIBLE_DEVICES");
    FILE* f = std::fopen(timeline, "a");
    std::fprintf(f, "%s %lld %lld\n", device ? device : "-", ms(start),
                 ms(std::chrono::system_clock::now()));
    std::fclose(f);
  }
  return 0;
}
