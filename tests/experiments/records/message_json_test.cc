// records::MessageJson: a message prints as JSON with proto field names; a non-finite number,
// at any depth, is refused naming its field.
#include "experiments/records/message_json.h"

#include <cmath>
#include <limits>

#include "experiments/records/run_record.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace datawall::records {
namespace {

experiments::RunRecord Record() {
  experiments::RunRecord r;
  r.mutable_spec()->set_name("run");
  r.set_final_val_loss(4.25);
  auto* curve = r.add_curve();
  curve->set_name("val_loss");
  curve->add_point()->set_value(5.0);
  curve->add_point()->set_value(4.5);
  return r;
}

TEST(MessageJsonTest, RoundTripsWithProtoFieldNames) {
  const experiments::RunRecord r = Record();
  absl::StatusOr<std::string> json = MessageJson(r);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_NE(json->find("\"final_val_loss\""), std::string::npos);
  experiments::RunRecord back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &back).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r, back));
}

TEST(MessageJsonTest, RefusesNonFiniteNumbersNamingTheField) {
  experiments::RunRecord r = Record();
  r.set_final_val_loss(std::nan(""));
  EXPECT_EQ(MessageJson(r).status().message(), "final_val_loss: not a finite number (nan)");

  r = Record();
  r.mutable_curve(0)->mutable_point(1)->set_value(-std::numeric_limits<double>::infinity());
  const absl::Status nested = MessageJson(r).status();
  EXPECT_TRUE(absl::IsInvalidArgument(nested));
  EXPECT_EQ(nested.message(), "curve[0].point[1].value: not a finite number (-inf)");
}

}  // namespace
}  // namespace datawall::records
