// Test helper of the report tests: complete run records of an experiment's smoke scale written
// where the sweep writes them (<results>/smoke/<experiment>/runs/<hash>/record.textproto) with the
// runs.csv the sweep CLI writes beside them. Not a runner: nothing is trained.
#ifndef DATAWALL_TESTS_REPORTS_SMOKE_RECORDS_H_
#define DATAWALL_TESTS_REPORTS_SMOKE_RECORDS_H_

#include <functional>
#include <string>

#include "experiments/records/experiment.pb.h"

namespace datawall::reports {

// experiments/specs/<name>.textproto of the workspace (a test failure if it does not load).
experiments::ExperimentSpec LoadSpec(const std::string& name);

// Writes a complete record for every run of `spec` at smoke scale, final_val_loss(run) as its
// loss, under <results>/smoke/<spec.name()>, and that directory's runs.csv; the plan into
// *plan_out when given. Failures are test failures.
void WriteSmokeRecords(const std::string& results, const experiments::ExperimentSpec& spec,
                       const std::function<double(const experiments::PlannedRun&)>& final_val_loss,
                       experiments::SweepPlan* plan_out = nullptr);

}  // namespace datawall::reports

#endif  // DATAWALL_TESTS_REPORTS_SMOKE_RECORDS_H_
