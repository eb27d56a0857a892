#include "laws/json_writer.h"

#include <cmath>

#include "gtest/gtest.h"

namespace datawall::laws {
namespace {

TEST(JsonWriter, NestsEscapesAndNeverPrintsNaN) {
  JsonWriter json;
  json.BeginObject();
  json.Key("s").String("a\"b\\c\n");
  json.Key("x").Number(0.1);
  json.Key("nan").Number(std::nan(""));
  json.Key("list").BeginArray().Int(1).Bool(false).BeginObject().EndObject().EndArray();
  json.EndObject();
  EXPECT_EQ(json.str(),
            "{\"s\":\"a\\\"b\\\\c\\n\",\"x\":0.1,\"nan\":null,"
            "\"list\":[1,false,{}]}");
}

}  // namespace
}  // namespace datawall::laws
