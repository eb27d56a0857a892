// Runs the simulate binary as a user would: acceptance numbers in JSON, readable text with
// units, CSV, law files with bootstrap samples, and one-line errors with exit code 2.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/run_command.h"
#include "tools/json/json.h"

namespace {

using CliRun = datawall::testing::CommandResult;

CliRun Simulate(const std::string& args) {
  return datawall::testing::RunCommand(datawall::testing::Runfile("sim/simulate") + " " + args);
}

// The value `field` of the JSON object the CLI printed (null if absent).
datawall::json::Value JsonField(const std::string& json, const std::string& field) {
  absl::StatusOr<datawall::json::Value> doc = datawall::json::Parse(json, "simulate output");
  if (!doc.ok() || !doc->is_object() || !doc->contains(field)) {
    ADD_FAILURE() << "no " << field << " in " << json;
    return nullptr;
  }
  return (*doc)[field];
}

// The number `field` of the JSON object the CLI printed.
double JsonNumber(const std::string& json, const std::string& field) {
  const datawall::json::Value value = JsonField(json, field);
  if (!value.is_number()) return NAN;
  return value.get<double>();
}

TEST(SimulateCli, PredictReproducesThePublishedExamples) {
  CliRun a = Simulate("predict --parameters=6.34e9 --tokens=242e9 --unique_tokens=25e9 --format=json");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_LT(std::abs(JsonNumber(a.output, "loss") / 2.2256440889984477 - 1), 1e-12);
  for (const char* field : {"parameters", "tokens", "unique_tokens", "epochs", "flops",
                            "effective_tokens", "effective_parameters", "unique_parameters",
                            "r_n", "r_d", "parameter_term", "data_term", "irreducible_loss"}) {
    EXPECT_NE(a.output.find(std::string("\"") + field + "\""), std::string::npos) << field;
  }
  EXPECT_EQ(JsonField(a.output, "data_constrained"), true);
  CliRun b = Simulate("predict --parameters=8.67e9 --tokens=178e9 --unique_tokens=25e9 --format=json");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_LT(std::abs(JsonNumber(b.output, "loss") / 2.2269634075087867 - 1), 1e-12);
}

TEST(SimulateCli, AllocateReadmeBudgetInEveryFormat) {
  CliRun json = Simulate("allocate --flops=1e22 --unique_tokens=25e9 --format=json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NEAR(JsonNumber(json.output, "parameters") / 7022364735.879969, 1, 0.01);
  EXPECT_NEAR(JsonNumber(json.output, "tokens") / 237336955477.55075, 1, 0.01);
  EXPECT_LE(JsonNumber(json.output, "loss"), JsonNumber(json.output, "chinchilla_loss"));
  EXPECT_EQ(JsonField(json.output, "data_constrained"), true);
  CliRun text = Simulate("allocate --flops=1e22 --unique_tokens=25e9");
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("7.03B params"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("237B tokens"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("9.49 epochs"), std::string::npos) << text.output;
  CliRun csv = Simulate("allocate --flops=1e22 --unique_tokens=25e9 --format=csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.output.rfind("flops,unique_tokens,parameters,tokens,epochs,loss,data_constrained", 0), 0u);
  EXPECT_EQ(std::count(csv.output.begin(), csv.output.end(), '\n'), 2);
}

TEST(SimulateCli, AuthorsGridBesideTheExactAnswer) {
  CliRun readme = Simulate("allocate --flops=1e22 --unique_tokens=25e9 --authors_grid --format=json");
  ASSERT_EQ(readme.exit_code, 0) << readme.output;
  EXPECT_NEAR(JsonNumber(readme.output, "grid_parameters") / 7022364735.879969, 1, 1e-12);
  EXPECT_NEAR(JsonNumber(readme.output, "grid_tokens") / 237336955477.55075, 1, 1e-12);
  EXPECT_LE(JsonNumber(readme.output, "loss"), JsonNumber(readme.output, "grid_loss"));
  CliRun galactica = Simulate(
      "allocate --flops=3.24e23 --unique_tokens=106e9 --authors_grid --grid_center_parameters=120e9 --format=json");
  ASSERT_EQ(galactica.exit_code, 0) << galactica.output;
  EXPECT_NEAR(JsonNumber(galactica.output, "grid_parameters") / 40e9, 1, 1e-4);
  EXPECT_EQ(JsonField(galactica.output, "grid_on_boundary"), true);
  EXPECT_LT(JsonNumber(galactica.output, "loss"), JsonNumber(galactica.output, "grid_loss"));
}

TEST(SimulateCli, InverseAllocation) {
  CliRun r = Simulate("allocate --target_loss=2.3 --unique_tokens=25e9 --format=json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NEAR(JsonNumber(r.output, "loss"), 2.3, 1e-9);
  EXPECT_GT(JsonNumber(r.output, "flops"), 1e20);
  CliRun floor = Simulate("allocate --target_loss=2.0 --unique_tokens=25e9");
  EXPECT_EQ(floor.exit_code, 2);
  EXPECT_EQ(floor.output.find("--target_loss:"), floor.output.find("simulate: ") + 10) << floor.output;
}

TEST(SimulateCli, ReturnsFrontierAndSweep) {
  CliRun returns = Simulate("returns --unique_tokens=12e9 --parameters=4.2e9 --format=json");
  ASSERT_EQ(returns.exit_code, 0) << returns.output;
  for (const char* section : {"curve", "value", "half_life"}) {
    EXPECT_TRUE(JsonField(returns.output, section).is_array()) << section;
  }
  CliRun value = Simulate("returns --unique_tokens=12e9 --format=csv --table=value");
  ASSERT_EQ(value.exit_code, 0) << value.output;
  EXPECT_EQ(value.output.rfind("epochs,effective_data_ratio,average_token_worth", 0), 0u) << value.output;
  CliRun frontier = Simulate("frontier --unique_tokens=100e6 --format=csv --table=path --points=5");
  ASSERT_EQ(frontier.exit_code, 0) << frontier.output;
  EXPECT_EQ(std::count(frontier.output.begin(), frontier.output.end(), '\n'), 6);
  const std::string file = std::string(std::getenv("TEST_TMPDIR")) + "/sweep.csv";
  CliRun sweep = Simulate("sweep --flops_steps=20 --unique_steps=10 --threads=2 --format=csv --output=" + file);
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;
  std::ifstream in(file);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 201);
}

TEST(SimulateCli, LawFileWithBootstrapSamplesGivesAnInterval) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/law.txtpb";
  std::ofstream f(path);
  f << std::setprecision(17) << "form: DATA_CONSTRAINED\n";
  const char* names[] = {"a", "b", "e", "alpha", "beta", "rd_star", "rn_star"};
  const double values[] = {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 15.387756, 5.309743};
  for (int i = 0; i < 7; ++i) f << "coefficient { name: \"" << names[i] << "\" value: " << values[i] << " }\n";
  for (int s = 0; s < 50; ++s) {
    f << "bootstrap_sample {";
    for (int i = 0; i < 7; ++i) f << " value: " << values[i] * (i >= 5 ? 0.8 + 0.4 * s / 49 : 1.0);
    f << " }\n";
  }
  f.close();
  CliRun r = Simulate("predict --parameters=6.34e9 --tokens=242e9 --unique_tokens=25e9 --format=json --law=" + path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_LT(std::abs(JsonNumber(r.output, "loss") / 2.2256440889984477 - 1), 1e-12);
  EXPECT_EQ(JsonNumber(r.output, "bootstrap_samples"), 50);
  EXPECT_LT(JsonNumber(r.output, "loss_low"), JsonNumber(r.output, "loss"));
  EXPECT_GT(JsonNumber(r.output, "loss_high"), JsonNumber(r.output, "loss"));
  CliRun a = Simulate("allocate --flops=1e22 --unique_tokens=25e9 --format=json --law=" + path);
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_LT(JsonNumber(a.output, "parameters_low"), JsonNumber(a.output, "parameters_high"));
}

struct BadCase {
  const char* args;
  const char* flag;
};

void ExpectUsageErrors(const std::vector<BadCase>& cases) {
  for (const BadCase& c : cases) {
    CliRun r = Simulate(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.flag), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << c.args << "\n" << r.output;
  }
}

TEST(SimulateCli, BadBudgetsAreOneLineNamingTheFlagWithExitCode2) {
  ExpectUsageErrors({
      {"allocate --flops=0 --unique_tokens=25e9", "--flops"},
      {"allocate --flops=-1e22 --unique_tokens=25e9", "--flops"},
      {"allocate --flops=nan --unique_tokens=25e9", "--flops"},
      {"allocate --flops=inf --unique_tokens=25e9", "--flops"},
      {"allocate --flops=1e999 --unique_tokens=25e9", "--flops"},
      {"allocate --flops=abc --unique_tokens=25e9", "--flops"},
      {"allocate --flops=1 --unique_tokens=25e9", "--flops"},  // too small for any model
      {"allocate --flops=1e22 --unique_tokens=0", "--unique_tokens"},
      {"allocate --flops=1e22", "--unique_tokens"},
  });
}

TEST(SimulateCli, OtherBadInputIsOneLineNamingTheFlagWithExitCode2) {
  ExpectUsageErrors({
      {"predict --parameters=1e9 --tokens=20e9 --unique_tokens=25e9", "--unique_tokens"},  // U > D
      {"predict --parameters=-1 --tokens=20e9", "--parameters"},
      {"predict --tokens=20e9", "--parameters"},
      {"predict --parameters=1e9 --tokens=20e9 --law=/nonexistent/law.txtpb", "--law"},
      {"allocate --flops=1e22 --unique_tokens=25e9 --format=yaml", "--format"},
      {"allocate --flops=1e22 --unique_tokens=25e9 --no_such_flag=1", "--no_such_flag"},
      {"sweep --flops_steps=0", "--flops_steps"},
      {"returns --unique_tokens=1e9 --table=nope", "--table"},
  });
}

TEST(SimulateCli, TypedFlagsRejectValuesOfTheWrongTypeWithExitCode2) {
  ExpectUsageErrors({
      {"frontier --unique_tokens=1e9 --points=abc", "--points=abc"},
      {"sweep --flops_steps=2.5", "--flops_steps=2.5"},
      {"sweep --threads=-1", "--threads"},
      {"frontier --unique_tokens=1e9 --levels=2.5,x", "--levels=2.5,x: 'x' is not a finite number"},
      {"frontier --unique_tokens=1e9 --levels=2.5,-1", "--levels"},
      {"allocate --flops=1e22 --unique_tokens=25e9 --format=yaml", "--format=yaml: must be text, json or csv"},
      {"predict --parameters=1e9 --tokens=20e9 --confidence=1.5", "--confidence"},
      {"returns --unique_tokens=1e9 --max_epochs=", "--max_epochs"},
      {"allocate --flops=1e22 --unique_tokens=25e9 --authors_grid=maybe", "--authors_grid"},
  });
  // An optional number given empty is unset, as if not given.
  CliRun unset = Simulate("allocate --flops=1e22 --unique_tokens=25e9 --target_loss= --format=json");
  EXPECT_EQ(unset.exit_code, 0) << unset.output;
  const std::string bad_law = std::string(std::getenv("TEST_TMPDIR")) + "/bad_law.txtpb";
  std::ofstream(bad_law) << "form: NO_SUCH_FORM\n";
  CliRun malformed = Simulate("allocate --flops=1e22 --unique_tokens=25e9 --law=" + bad_law);
  EXPECT_EQ(malformed.exit_code, 2) << malformed.output;
  EXPECT_NE(malformed.output.find("--law"), std::string::npos) << malformed.output;
  EXPECT_EQ(std::count(malformed.output.begin(), malformed.output.end(), '\n'), 1) << malformed.output;
  CliRun none = Simulate("");
  EXPECT_EQ(none.exit_code, 2);
  CliRun unknown = Simulate("simulate-everything");
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST(SimulateCli, ExtremeButValidBudgetsPrintFiniteNumbers) {
  for (const char* args : {"allocate --flops=1e30 --unique_tokens=1 --format=json",
                           "allocate --flops=6 --unique_tokens=1 --format=json",
                           "allocate --flops=1e30 --unique_tokens=1e30 --format=json",
                           "predict --parameters=1 --tokens=1e30 --unique_tokens=1 --format=json"}) {
    CliRun r = Simulate(args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.output;
    EXPECT_EQ(r.output.find("nan"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("inf"), std::string::npos) << r.output;
    EXPECT_TRUE(std::isfinite(JsonNumber(r.output, "loss"))) << r.output;
  }
}

}  // namespace
