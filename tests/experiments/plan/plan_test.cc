// Paper-scale plans: per-run GPU-hours from 6ND at the stated MFU, predicted losses equal to
// the law's (the paper's by default), bootstrap bands from a law file's samples, bad options
// named by their flag.
#include "experiments/plan/plan.h"

#include <cmath>

#include "experiments/plan/expand.h"
#include "gtest/gtest.h"
#include "laws/law.h"
#include "laws/law_io.h"
#include "sim/predict.h"
#include "tools/io/atomic_file.h"

namespace datawall::plan {
namespace {

experiments::SweepPlan PaperPlan(const std::string& name) {
  auto spec = plan::LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  auto plan = plan::Expand(*spec, "paper");
  EXPECT_TRUE(plan.ok()) << plan.status();
  return *plan;
}

TEST(PlanTest, PaperLawPredictionsAndGpuHours) {
  experiments::SweepPlan plan = PaperPlan("return_isoflop_8b7");
  PlanOptions options;
  options.mfu = 0.5;
  ASSERT_TRUE(AnnotatePlan(options, &plan).ok());
  const laws::Law paper = laws::PaperLaw();
  double hours = 0;
  for (const auto& r : plan.runs()) {
    EXPECT_DOUBLE_EQ(r.predicted_loss(),
                     paper.Loss(r.eq23_params(), r.spec().total_tokens(), r.spec().unique_tokens()));
    EXPECT_DOUBLE_EQ(r.gpu_hours(), r.flops() / (0.5 * 989e12) / 3600);
    EXPECT_EQ(r.predicted_loss_low(), 0);
    hours += r.gpu_hours();
  }
  EXPECT_NEAR(plan.total_gpu_hours(), hours, 1e-9 * hours);
  // The paper's 8.7B model on 178B tokens: C = 9.26e21 (§6, Figure 4: C = 6 N D).
  EXPECT_NEAR(plan.runs(0).flops() / 9.26e21, 1, 0.005);
  EXPECT_EQ(plan.bootstrap_samples(), 0);
  const std::string text = PlanText(plan, true);
  EXPECT_NE(text.find("GPU-hours at 50% MFU"), std::string::npos);
  EXPECT_NE(text.find("8b7178b25b"), std::string::npos);
}

TEST(PlanTest, LawFileSamplesGiveABand) {
  laws::proto::Law proto = laws::LawToProto(laws::PaperLaw(), "test");
  std::vector<laws::Law> samples;
  for (int i = 0; i < 40; ++i) {
    auto c = laws::PaperLaw().coefficients();
    c[laws::kExtra0] *= 0.8 + 0.01 * i;  // R_D* from 12.3 to 18.3
    samples.emplace_back(laws::Form::kDataConstrained, c);
    auto* s = proto.add_bootstrap_sample();
    for (int k = 0; k < 7; ++k) s->add_value(c[k]);
  }
  const std::string path = std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") + "/law.textproto";
  ASSERT_TRUE(io::WriteFileAtomically(path, laws::LawToText(proto)).ok());
  experiments::SweepPlan plan = PaperPlan("return_isoflop_4b2");
  PlanOptions options;
  options.law_path = path;
  ASSERT_TRUE(AnnotatePlan(options, &plan).ok());
  EXPECT_EQ(plan.bootstrap_samples(), 40);
  for (const auto& r : plan.runs()) {
    auto p = sim::Predict(laws::PaperLaw(), r.eq23_params(), r.spec().total_tokens(),
                          r.spec().unique_tokens(), samples);
    ASSERT_TRUE(p.ok());
    EXPECT_DOUBLE_EQ(r.predicted_loss(), p->loss);  // the paper's law: the point
    EXPECT_DOUBLE_EQ(r.predicted_loss_low(), p->loss_low);
    EXPECT_DOUBLE_EQ(r.predicted_loss_high(), p->loss_high);
    if (r.epochs() > 1.5) {
      EXPECT_LT(r.predicted_loss_low(), r.predicted_loss_high()) << r.paper_run();
    }
  }
}

TEST(PlanTest, BadOptionsNameTheFlag) {
  experiments::SweepPlan plan = PaperPlan("complementary_code");
  PlanOptions options;
  options.mfu = 0;
  EXPECT_NE(AnnotatePlan(options, &plan).message().find("--mfu"), std::string::npos);
  options.mfu = 0.4;
  options.law_path = "/nonexistent.textproto";
  EXPECT_NE(AnnotatePlan(options, &plan).message().find("--law"), std::string::npos);
}

}  // namespace
}  // namespace datawall::plan
