// The one JSON policy: fields keep their order, strings are escaped, numbers round-trip, and a
// NaN or infinite number anywhere is an error naming its field instead of a printed token.
#include "tools/json/json.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace datawall::json {
namespace {

TEST(Json, KeepsFieldOrderEscapesStringsAndRoundTripsNumbers) {
  Json doc;
  doc["s"] = "a\"b\\c\n";
  doc["x"] = 0.1;
  doc["n"] = 3;
  doc["list"] = Json::array({1, false, Json::object()});
  doc["a"] = 2.2256440889984477;
  absl::StatusOr<std::string> text = Dump(doc);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "{\"s\":\"a\\\"b\\\\c\\n\",\"x\":0.1,\"n\":3,\"list\":[1,false,{}],"
            "\"a\":2.2256440889984477}");
  absl::StatusOr<Value> back = Parse(*text, "doc");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)["a"].get<double>(), 2.2256440889984477);
  EXPECT_EQ((*back)["s"], "a\"b\\c\n");
  EXPECT_EQ((*back)["list"].size(), 3u);
}

TEST(Json, ANonFiniteNumberIsAnErrorNamingTheField) {
  Json doc;
  doc["ok"] = 1.5;
  doc["ci"]["intervals"]["alpha"]["lower"] = std::nan("");
  absl::StatusOr<std::string> text = Dump(doc);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(), "ci.intervals.alpha.lower: not a finite number (nan)");

  Json rows = Json::array();
  rows.push_back({{"loss", 2.0}});
  rows.push_back({{"loss", -std::numeric_limits<double>::infinity()}});
  EXPECT_EQ(Dump(rows).status().message(), "[1].loss: not a finite number (-inf)");
  EXPECT_EQ(FindNonFinite(rows), "[1].loss");
  EXPECT_EQ(Dump(Json(std::numeric_limits<double>::infinity())).status().message(),
            "value: not a finite number (inf)");
  EXPECT_EQ(FindNonFinite(doc["ok"]), std::nullopt);
}

TEST(Json, ParseErrorsNameTheSourceAndPosition) {
  absl::StatusOr<Value> bad = Parse("{\n\"a\": 0,\n\"b\" 1}", "enc.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().substr(0, 10), "enc.json: ");
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos) << bad.status();
  EXPECT_FALSE(Parse("", "empty").ok());
  EXPECT_FALSE(Parse("[1, 2] x", "trailing").ok());
}

TEST(Json, InvalidUtf8IsReplacedNotThrown) {
  Json doc;
  doc["k"] = std::string("a\xff" "b");
  absl::StatusOr<std::string> text = Dump(doc);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{\"k\":\"a\xEF\xBF\xBD" "b\"}");
}

}  // namespace
}  // namespace datawall::json
