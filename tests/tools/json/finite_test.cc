// tools/json/finite.h, the standard-library half the training core uses: DumpFinite prints what
// json::Dump prints and refuses a non-finite number as bad input naming its field, leaving the
// output alone. Links no Abseil (this target depends on //tools/json:finite only).
#include "tools/json/finite.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace datawall::json {
namespace {

TEST(DumpFinite, PrintsCompactOrderedJson) {
  Json doc;
  doc["program"] = "datawall_cpp";
  doc["tokens_per_s"] = 12345.5;
  doc["steps"] = 20;
  std::string text;
  const Result r = DumpFinite(doc, -1, &text);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(text, "{\"program\":\"datawall_cpp\",\"tokens_per_s\":12345.5,\"steps\":20}");
}

TEST(DumpFinite, ANonFiniteNumberIsBadInputNamingTheField) {
  Json doc;
  doc["loss_first"] = 5.5;
  doc["runs"] = Json::array({Json::object({{"mfu", 0.3}}),
                             Json::object({{"mfu", -std::numeric_limits<double>::infinity()}})});
  std::string text = "untouched";
  const Result r = DumpFinite(doc, -1, &text);
  EXPECT_TRUE(r.bad_input());
  EXPECT_EQ(r.message(), "runs[1].mfu: not a finite number (-inf)");
  EXPECT_EQ(text, "untouched");
  EXPECT_EQ(FindNonFinite(doc), "runs[1].mfu");

  const Result top = DumpFinite(Json(std::nan("")), 2, &text);
  EXPECT_EQ(top.message(), "value: not a finite number (nan)");
}

}  // namespace
}  // namespace datawall::json
