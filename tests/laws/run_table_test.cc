// Run tables: parsing, extra columns, subsets, and errors that name the file, line and column.
#include "laws/run_table.h"

#include "gtest/gtest.h"
#include "laws/released_runs.h"

namespace datawall::laws {
namespace {

constexpr char kHeader[] = "key,params,tokens,unique_tokens,val_loss,in_fit_set\n";

std::string ErrorOf(const std::string& body) {
  absl::StatusOr<RunTable> table = ParseRunTableCsv(std::string(kHeader) + body, "t.csv");
  EXPECT_FALSE(table.ok());
  return std::string(table.status().message());
}

TEST(RunTable, ParsesRowsKeepsExtrasAndSelectsSubsets) {
  absl::StatusOr<RunTable> table = ParseRunTableCsv(
      "val_loss,key,params,tokens,unique_tokens,in_fit_set,note\n"
      "3.1,r1,1e8,2e9,1e9,1,\"a, quoted\"\r\n"
      "2.9,r2,2e8,4e9,4e9,0,x\n\n",
      "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->size(), 2);
  EXPECT_EQ(table->runs()[0].key, "r1");
  EXPECT_DOUBLE_EQ(table->runs()[0].params, 1e8);
  EXPECT_DOUBLE_EQ(table->runs()[0].tokens, 2e9);
  EXPECT_DOUBLE_EQ(table->runs()[0].unique_tokens, 1e9);
  EXPECT_DOUBLE_EQ(table->runs()[0].val_loss, 3.1);
  EXPECT_EQ(table->extra_columns(), (std::vector<std::string>{"in_fit_set", "note"}));
  EXPECT_EQ(*table->Extra(0, "note"), "a, quoted");
  absl::StatusOr<RunTable> subset = table->Subset("in_fit_set");
  ASSERT_TRUE(subset.ok()) << subset.status();
  ASSERT_EQ(subset->size(), 1);
  EXPECT_EQ(subset->runs()[0].key, "r1");
  EXPECT_EQ(*subset->Extra(0, "note"), "a, quoted");
  EXPECT_EQ(table->Filter([](const RunPoint& r) { return r.params > 1.5e8; }).size(), 1);
}

TEST(RunTable, ErrorsNameTheLineAndColumn) {
  EXPECT_EQ(ErrorOf("r1,1e8,2e9,1e9,abc,1\n"), "t.csv:2: column 'val_loss' is not a number: 'abc'");
  EXPECT_EQ(ErrorOf("r1,1e8,2e9,1e9,3,1\nr2,,2e9,1e9,3,1\n"), "t.csv:3: column 'params' is empty");
  EXPECT_EQ(ErrorOf("r1,nan,2e9,1e9,3,1\n"), "t.csv:2 (key 'r1'): params is not finite");
  EXPECT_EQ(ErrorOf("r1,1e8,inf,1e9,3,1\n"), "t.csv:2 (key 'r1'): tokens is not finite");
  EXPECT_EQ(ErrorOf("r1,1e8,2e9,1e9,-3,1\n"), "t.csv:2 (key 'r1'): val_loss must be positive, got -3");
  EXPECT_EQ(ErrorOf("r1,0,2e9,1e9,3,1\n"), "t.csv:2 (key 'r1'): params must be positive, got 0");
  EXPECT_EQ(ErrorOf("r1,1e8,1e9,2e9,3,1\n"),
            "t.csv:2 (key 'r1'): unique_tokens (2e+09) exceeds tokens (1e+09)");
  EXPECT_EQ(ErrorOf("r1,1e8,2e9,1e9,3\n"), "t.csv:2: expected 6 fields, got 5");
  EXPECT_EQ(ErrorOf("r1,1e8,2e9,1e9,3,1\nr1,1e8,2e9,1e9,3,1\n"), "t.csv:3: key 'r1' appears twice");
  EXPECT_EQ(ErrorOf(",1e8,2e9,1e9,3,1\n"), "t.csv:2: empty key");
  EXPECT_EQ(ErrorOf("r1,1e8,2e9,1e9,1e999,1\n"),
            "t.csv:2: column 'val_loss' is not a number: '1e999'");
  EXPECT_EQ(ErrorOf(""), "t.csv: no runs after the header");

  auto missing = ParseRunTableCsv("key,params,tokens,val_loss\nr,1,1,1\n", "m.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(std::string(missing.status().message()),
            "m.csv:1: header lacks column 'unique_tokens' (need key, params, tokens, "
            "unique_tokens, val_loss)");
  EXPECT_FALSE(ParseRunTableCsv("", "e.csv").ok());
  EXPECT_FALSE(ReadRunTableCsv("/nonexistent/runs.csv").ok());
}

TEST(RunTable, SubsetErrorsNameTheColumnAndRow) {
  auto table = ParseRunTableCsv(std::string(kHeader) + "r1,1e8,2e9,1e9,3,yes\n", "t.csv");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(std::string(table->Subset("in_fit_set").status().message()),
            "t.csv:2 (key 'r1'): column 'in_fit_set' is 'yes', expected 1 or 0");
  EXPECT_EQ(std::string(table->Subset("nope").status().message()),
            "t.csv: no column 'nope' (extra columns: in_fit_set)");
}

TEST(RunTable, FromRunsValidatesByIndexAndKey) {
  EXPECT_TRUE(RunTableFromRuns({{"a", 1e8, 2e9, 1e9, 3.0}}, "records").ok());
  auto bad = RunTableFromRuns({{"a", 1e8, 2e9, 1e9, 3.0}, {"b", 1e8, 2e9, 3e9, 3.0}}, "records");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(std::string(bad.status().message()),
            "records: run 1 (key 'b'): unique_tokens (3e+09) exceeds tokens (2e+09)");
  EXPECT_FALSE(RunTableFromRuns({}, "records").ok());
}

TEST(RunTable, ReadsThePapersReleasedRuns) {
  auto table = ReadReleasedRuns();
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 296);
  auto fit_set = ReadReleasedRuns("in_fit_set");
  ASSERT_TRUE(fit_set.ok()) << fit_set.status();
  EXPECT_EQ(fit_set->size(), 182);
}

}  // namespace
}  // namespace datawall::laws
