// Result -> absl::Status (tools/result/status.h): each kind maps to its code, the message stays.
#include "tools/result/status.h"

#include "gtest/gtest.h"

namespace datawall {
namespace {

TEST(ToStatus, MapsEachKindAndKeepsTheMessage) {
  EXPECT_TRUE(ToStatus(Result::Ok()).ok());

  const absl::Status bad = ToStatus(Result::BadInput("x.shard: no such file"));
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "x.shard: no such file");

  const absl::Status internal = ToStatus(Result::Internal("disk full").WithContext("out.txt"));
  EXPECT_EQ(internal.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(internal.message(), "out.txt: disk full");
}

}  // namespace
}  // namespace datawall
