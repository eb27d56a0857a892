// The training core's one error type: OK, or a one-line message that is either the user's input
// (mains exit 2) or an internal failure (mains exit 1). Standard library only, header only: the
// LibTorch training core (experiments/training, models, data/shard, data/sampler) builds without
// Abseil on a GPU machine. Everything outside the core uses absl::Status instead.
//
// Not an exception type and not a value carrier: functions that produce a value take an out
// parameter and return a Result.
#ifndef DATAWALL_TOOLS_RESULT_RESULT_H_
#define DATAWALL_TOOLS_RESULT_RESULT_H_

#include <string>
#include <string_view>
#include <utility>

namespace datawall {

class [[nodiscard]] Result {
 public:
  enum class Kind { kOk, kBadInput, kInternal };

  Result() = default;  // OK
  static Result Ok() { return Result(); }
  // The caller's input is wrong (a bad option, a missing or mismatched file): exit 2.
  static Result BadInput(std::string message) { return Result(Kind::kBadInput, std::move(message)); }
  // Anything else (I/O on a path we chose, a diverged run, a bug): exit 1.
  static Result Internal(std::string message) { return Result(Kind::kInternal, std::move(message)); }

  bool ok() const { return kind_ == Kind::kOk; }
  bool bad_input() const { return kind_ == Kind::kBadInput; }
  Kind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // The exit status a main maps this to: 0, 2 (bad input) or 1 (internal).
  int exit_code() const { return kind_ == Kind::kOk ? 0 : kind_ == Kind::kBadInput ? 2 : 1; }

  // The same kind with "context: " before the message (OK stays OK).
  Result WithContext(std::string_view context) const {
    if (ok()) return *this;
    return Result(kind_, std::string(context) + ": " + message_);
  }

 private:
  Result(Kind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  Kind kind_ = Kind::kOk;
  std::string message_;
};

}  // namespace datawall

#endif  // DATAWALL_TOOLS_RESULT_RESULT_H_
