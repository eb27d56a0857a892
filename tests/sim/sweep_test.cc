// Sweep (threads give the same rows as one-by-one allocation) and the output formatters.
#include "sim/sweep.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "sim/format.h"

namespace datawall::sim {
namespace {

TEST(Sweep, ThreadsMatchSerialAllocation) {
  const laws::Law law = laws::PaperLaw();
  SweepOptions o;
  o.flops_min = 1e18, o.flops_max = 1e26, o.flops_steps = 40;
  o.unique_min = 1e8, o.unique_max = 1e13, o.unique_steps = 30;
  o.threads = 3;
  absl::StatusOr<std::vector<SweepRow>> rows = Sweep(law, o);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1200u);
  EXPECT_DOUBLE_EQ((*rows)[0].flops, 1e18);
  EXPECT_DOUBLE_EQ((*rows)[29].unique_tokens, 1e13);
  EXPECT_NEAR(rows->back().flops, 1e26, 1e12);
  for (size_t k = 0; k < rows->size(); k += 7) {
    const SweepRow& r = (*rows)[k];
    absl::StatusOr<Allocation> a = Allocate(law, r.flops, r.unique_tokens);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(r.params, a->params);
    EXPECT_EQ(r.loss, a->loss);
    EXPECT_EQ(r.data_constrained, a->data_constrained);
    EXPECT_EQ(r.chinchilla_loss, a->chinchilla_loss);
  }
}

std::string Write(const std::vector<SweepRow>& rows, OutputFormat format, int threads) {
  std::string out;
  absl::Status s = WriteSweep(rows, format, threads, [&](std::string_view t) {
    out.append(t);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

TEST(Sweep, WritesCsvJsonAndTextInOrder) {
  SweepOptions o;
  o.flops_steps = 50, o.unique_steps = 50, o.threads = 2;
  absl::StatusOr<std::vector<SweepRow>> rows = Sweep(laws::PaperLaw(), o);
  ASSERT_TRUE(rows.ok());
  const std::string csv = Write(*rows, OutputFormat::kCsv, 2);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "flops,unique_tokens,parameters,tokens,epochs,loss,data_constrained,chinchilla_loss");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2501);
  EXPECT_EQ(csv, Write(*rows, OutputFormat::kCsv, 1));  // thread count does not change bytes
  // Numbers round-trip exactly: the second line's loss parses back to the same double.
  const std::string line = csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1);
  std::vector<std::string> cells;
  for (size_t start = 0, end; start <= line.size(); start = end + 1) {
    end = line.find(',', start);
    if (end == std::string::npos) end = line.size();
    cells.push_back(line.substr(start, end - start));
  }
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(std::stod(cells[5]), (*rows)[0].loss);
  const std::string json = Write(*rows, OutputFormat::kJson, 2);
  EXPECT_EQ(json.front(), '[');
  EXPECT_EQ(json.substr(json.size() - 2), "]\n");
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), 2500);
  const std::string text = Write(*rows, OutputFormat::kText, 2);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2501);
}

TEST(Sweep, RefusesNonFiniteRowsAndBadOptions) {
  std::vector<SweepRow> rows(1);
  rows[0].flops = 1e20, rows[0].loss = NAN;
  EXPECT_FALSE(WriteSweep(rows, OutputFormat::kCsv, 1, [](std::string_view) { return true; }).ok());
  SweepOptions o;
  o.flops_min = 1;  // too small for any model
  EXPECT_FALSE(Sweep(laws::PaperLaw(), o).ok());
  SweepOptions reversed;
  reversed.unique_min = 1e12, reversed.unique_max = 1e9;
  EXPECT_FALSE(Sweep(laws::PaperLaw(), reversed).ok());
}

TEST(Format, HumanUnits) {
  EXPECT_EQ(HumanCount(7.02e9), "7.02B");
  EXPECT_EQ(HumanCount(237.3e9), "237B");
  EXPECT_EQ(HumanCount(1.35e12), "1.35T");
  EXPECT_EQ(HumanCount(25e9), "25.0B");
  EXPECT_EQ(HumanCount(999.7e6), "1.00B");
  EXPECT_EQ(HumanCount(42), "42.0");
  EXPECT_EQ(Human(Num("epochs", 9.49347821910203, Unit::kEpochs)), "9.49 epochs");
  EXPECT_EQ(Human(Num("parameters", 7.022e9, Unit::kParams)), "7.02B params");
  EXPECT_EQ(Human(Num("tokens", 237.3e9, Unit::kTokens)), "237B tokens");
  EXPECT_EQ(Human(Num("loss", 2.2256440889984477, Unit::kLoss)), "2.225644");
  EXPECT_EQ(Human(Num("loss", 1e308, Unit::kLoss)), "1e+308");
}

TEST(Format, RecordsInEveryFormatAndNoNonFiniteNumbers) {
  const Record r = {Num("loss", 2.2256440889984477, Unit::kLoss), Bool("data_constrained", true),
                    Text("method", "exact_newton")};
  absl::StatusOr<std::string> out = FormatRecord(r, OutputFormat::kJson);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "{\"loss\":2.2256440889984477,\"data_constrained\":true,\"method\":\"exact_newton\"}\n");
  out = FormatRecord(r, OutputFormat::kCsv);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "loss,data_constrained,method\n2.2256440889984477,true,exact_newton\n");
  out = FormatRecord(r, OutputFormat::kText);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("loss              2.225644"), std::string::npos) << *out;
  out = FormatTable({r, r}, OutputFormat::kJson);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(std::count(out->begin(), out->end(), '\n'), 2) << *out;  // one object per line
  for (double v : {NAN, INFINITY, -INFINITY}) {
    for (OutputFormat f : {OutputFormat::kJson, OutputFormat::kCsv, OutputFormat::kText}) {
      out = FormatRecord({Num("flops", 1), Num("loss", v)}, f);
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().message().substr(0, 26), "loss: not a finite number ");
      EXPECT_FALSE(FormatTable({{Num("flops", 1)}, {Num("flops", v)}}, f).ok());
    }
  }
  EXPECT_EQ(ParseOutputFormat("yaml"), std::nullopt);
  OutputFormat parsed;
  std::string error;
  EXPECT_TRUE(AbslParseFlag("csv", &parsed, &error));
  EXPECT_EQ(parsed, OutputFormat::kCsv);
  EXPECT_EQ(AbslUnparseFlag(parsed), "csv");
  EXPECT_FALSE(AbslParseFlag("yaml", &parsed, &error));
  EXPECT_EQ(error, "must be text, json or csv");
}

}  // namespace
}  // namespace datawall::sim
