// The sweep directory both backends take over: see sweep_dir.h.
#include "experiments/sweep/sweep_dir.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "experiments/records/records.h"
#include "google/protobuf/text_format.h"
#include "tools/io/atomic_file.h"
#include "tools/process/process.h"
#include "tools/result/status.h"

namespace datawall::sweep {

namespace fs = std::filesystem;

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

SweepDir::~SweepDir() {
  if (lock_fd_ >= 0) close(lock_fd_);
}

absl::Status OpenSweepDir(const experiments::SweepPlan& plan, const std::string& out_dir,
                          const std::string& train_binary, const std::string& data_root,
                          double lock_wait_seconds, SweepDir* dir) {
  const std::string out = AbsolutePath(out_dir);
  std::error_code ec;
  fs::create_directories(out + "/runs", ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--out: cannot create ", out, ": ", ec.message()));
  std::string error;
  int lock = process::TryLockFile(out + "/sweep.lock", /*inheritable=*/false, &error);
  for (const double deadline = NowSeconds() + lock_wait_seconds; lock == -1 && NowSeconds() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    lock = process::TryLockFile(out + "/sweep.lock", /*inheritable=*/false, &error);
  }
  if (lock == -2) return absl::InternalError(error);
  if (lock == -1) {
    return absl::FailedPreconditionError(
        absl::StrCat("--out: another sweep runner holds ", out, "/sweep.lock"));
  }
  dir->lock_fd_ = lock;
  dir->out = out;
  dir->binary = AbsolutePath(train_binary);
  if (access(dir->binary.c_str(), X_OK) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("--train_binary: ", dir->binary, " is not executable"));
  }
  dir->data_root = AbsolutePath(data_root);
  std::string plan_text;
  google::protobuf::TextFormat::PrintToString(plan, &plan_text);
  return ToStatus(io::WriteFileAtomically(out + "/plan.textproto", plan_text));
}

absl::Status ReadRunRecord(const std::string& out, const experiments::PlannedRun& run,
                           std::optional<experiments::RunRecord>* record) {
  const std::string dir = records::RunDir(out, run.hash());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(dir, ": ", ec.message()));
  *record = records::ReadRecord(dir);
  if (*record && !records::RecordMatches(**record, run)) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, "/", records::kRecordFile, ": its spec (", (*record)->spec().name(), ") hashes to ",
        records::RunHash((*record)->spec()), ", not to the planned run's ", run.hash(), " (",
        run.spec().name(), "; the directory belongs to another run: remove it or use another --out)"));
  }
  return absl::OkStatus();
}

}  // namespace datawall::sweep
