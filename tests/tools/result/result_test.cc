// The training core's result type: kinds map to the project's exit codes, context keeps the kind.
#include "tools/result/result.h"

#include "gtest/gtest.h"

namespace datawall {
namespace {

TEST(Result, KindsMessagesAndExitCodes) {
  const Result ok = Result::Ok();
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.exit_code(), 0);
  EXPECT_EQ(ok.message(), "");

  const Result bad = Result::BadInput("total_tokens must be positive");
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(bad.bad_input());
  EXPECT_EQ(bad.exit_code(), 2);
  EXPECT_EQ(bad.message(), "total_tokens must be positive");

  const Result internal = Result::Internal("disk full");
  EXPECT_FALSE(internal.bad_input());
  EXPECT_EQ(internal.kind(), Result::Kind::kInternal);
  EXPECT_EQ(internal.exit_code(), 1);
}

TEST(Result, WithContextPrefixesAndKeepsTheKind) {
  const Result r = Result::BadInput("no such file").WithContext("data shard x.shard");
  EXPECT_TRUE(r.bad_input());
  EXPECT_EQ(r.message(), "data shard x.shard: no such file");
  EXPECT_TRUE(Result::Ok().WithContext("ignored").ok());
  EXPECT_EQ(Result::Ok().WithContext("ignored").message(), "");
}

}  // namespace
}  // namespace datawall
