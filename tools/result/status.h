// The one bridge from the training core's Result (result.h) to absl::Status, for code outside
// the core that calls core or tools/io functions: OK -> OK, bad input -> InvalidArgument,
// internal -> Internal, message unchanged. Header only; depends on Abseil, so it is its own
// target (//tools/result:status) and the core, which links only //tools/result, never sees it.
//
// Not the other direction: the core does not take absl::Status.
#ifndef DATAWALL_TOOLS_RESULT_STATUS_H_
#define DATAWALL_TOOLS_RESULT_STATUS_H_

#include "absl/status/status.h"
#include "tools/result/result.h"

namespace datawall {

inline absl::Status ToStatus(const Result& result) {
  switch (result.kind()) {
    case Result::Kind::kOk:
      return absl::OkStatus();
    case Result::Kind::kBadInput:
      return absl::InvalidArgumentError(result.message());
    case Result::Kind::kInternal:
      break;
  }
  return absl::InternalError(result.message());
}

}  // namespace datawall

#endif  // DATAWALL_TOOLS_RESULT_STATUS_H_
