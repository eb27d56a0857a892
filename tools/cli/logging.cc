// glog set-up for the command-line programs (see logging.h).
#include "tools/cli/logging.h"

#include "absl/flags/flag.h"
#include "glog/logging.h"

ABSL_FLAG(bool, verbose, false,
          "Also print the libraries' log lines (Ceres, LibTorch via glog) below errors.");

namespace datawall::cli {

void InitLogging(const char* argv0, bool verbose) {
  FLAGS_logtostderr = true;
  FLAGS_minloglevel = verbose ? google::GLOG_INFO : google::GLOG_ERROR;
  if (!google::IsGoogleLoggingInitialized()) google::InitGoogleLogging(argv0);
}

void InitLogging(const char* argv0) { InitLogging(argv0, absl::GetFlag(FLAGS_verbose)); }

}  // namespace datawall::cli
