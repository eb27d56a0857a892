// Smoke-scale run records for the report tests (see smoke_records.h).
#include "tests/reports/smoke_records.h"

#include <filesystem>
#include <optional>
#include <vector>

#include "experiments/plan/expand.h"
#include "experiments/records/records.h"
#include "gtest/gtest.h"
#include "tools/paths/paths.h"

namespace datawall::reports {

experiments::ExperimentSpec LoadSpec(const std::string& name) {
  auto spec = plan::LoadExperimentSpec(paths::WorkspaceRoot() + "/experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : experiments::ExperimentSpec();
}

void WriteSmokeRecords(const std::string& results, const experiments::ExperimentSpec& spec,
                       const std::function<double(const experiments::PlannedRun&)>& final_val_loss,
                       experiments::SweepPlan* plan_out) {
  auto plan = plan::Expand(spec, "smoke");
  ASSERT_TRUE(plan.ok()) << plan.status();
  const std::string out = results + "/smoke/" + spec.name();
  std::vector<std::optional<experiments::RunRecord>> written;
  for (const experiments::PlannedRun& run : plan->runs()) {
    experiments::RunRecord record;
    *record.mutable_spec() = run.spec();
    record.set_complete(true);
    record.set_params(run.params());
    record.set_flops(run.flops());
    record.set_final_val_loss(final_val_loss(run));
    const std::string dir = records::RunDir(out, run.hash());
    std::filesystem::create_directories(dir);
    ASSERT_TRUE(records::WriteRecordFile(dir + "/" + records::kRecordFile, record).ok());
    written.push_back(record);
  }
  // What the report reads: runs.csv, as the sweep CLI writes it from the records.
  for (const auto& r : records::LoadRecords(*plan, out)) EXPECT_TRUE(r.has_value());
  ASSERT_TRUE(records::WriteRunsCsv(out + "/" + records::kRunsCsvFile, records::MakeRunRows(*plan, written)).ok());
  if (plan_out != nullptr) *plan_out = *plan;
}

}  // namespace datawall::reports
