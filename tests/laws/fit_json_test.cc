// The fit CLIs' JSON: the field names scripts read, and the NaN policy (a non-finite result is
// refused with the field's path, never printed as null or "nan").
#include "laws/fit_json.h"

#include <cmath>

#include "gtest/gtest.h"

namespace datawall::laws {
namespace {

Evaluation SomeEvaluation() {
  Evaluation ev;
  ev.n_runs = 2;
  ev.objective = 0.0125;
  ev.r2 = 0.77;
  ev.rmse_log = 0.03;
  ev.predicted_loss = {3.1, 2.9};
  ev.residual_log = {0.01, -0.02};
  return ev;
}

TEST(FitJson, EvaluationFieldsAndResidualsKeepTheirNames) {
  json::Json doc = json::Json::object();
  AddEvaluationFieldsJson(PaperLaw(), SomeEvaluation(), &doc);
  doc["residuals"] = ResidualsJson({"r1", "r2"}, SomeEvaluation());
  absl::StatusOr<std::string> text = json::Dump(doc);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->substr(0, 42), "{\"law\":\"data_constrained\",\"coefficients\":{") << *text;
  absl::StatusOr<json::Value> back = json::Parse(*text, "fit");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)["n_runs"], 2);
  EXPECT_EQ((*back)["objective"], 0.0125);
  EXPECT_EQ((*back)["coefficients"].size(), 10u);  // 7 of the form + A, B, E
  EXPECT_EQ((*back)["residuals"][1]["key"], "r2");
  EXPECT_EQ((*back)["residuals"][1]["log_residual"], -0.02);
}

TEST(FitJson, ANaNResultIsRefusedNamingItsField) {
  Evaluation ev = SomeEvaluation();
  ev.residual_log[1] = std::nan("");
  json::Json doc = json::Json::object();
  AddEvaluationFieldsJson(PaperLaw(), ev, &doc);
  doc["residuals"] = ResidualsJson({"r1", "r2"}, ev);
  absl::StatusOr<std::string> text = json::Dump(doc);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(), "residuals[1].log_residual: not a finite number (nan)");

  ev = SomeEvaluation();
  ev.r2 = std::nan("");
  json::Json fields = json::Json::object();
  AddEvaluationFieldsJson(PaperLaw(), ev, &fields);
  EXPECT_EQ(json::Dump(fields).status().message(), "r2: not a finite number (nan)");
}

}  // namespace
}  // namespace datawall::laws
