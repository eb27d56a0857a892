// Tests of experiments/records/: run hashes and shard-path resolution, record files, curves.csv
// and runs.csv round trips (bit-exact numbers, strict headers, the NaN policy), and the
// conversion of a record of the old layout (a committed cpu record, copied to testdata/) that
// keeps every measured value.
#include "experiments/records/records.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"

namespace datawall::records {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

std::string Tmp() { return std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp"; }

RunSpec Spec() {
  RunSpec spec;
  spec.set_name("x.cpu.d48l2.s0");
  spec.set_total_tokens(81920);
  spec.set_unique_tokens(40960);
  auto* d = spec.add_data();
  d->set_name("en_mix");
  d->set_shard("data/work/shards/small1024_full/en_mix.train.shard");
  spec.set_validation_shard("data/work/shards/small1024_full/en_mix.validation.shard");
  return spec;
}

PlannedRun Planned(const RunSpec& spec) {
  PlannedRun run;
  *run.mutable_spec() = spec;
  run.set_hash(RunHash(spec));
  run.set_params(111000);
  run.set_epochs(2);
  run.set_flops(6.0 * 111000 * spec.total_tokens());
  return run;
}

TEST(RecordsTest, ResolveAndRelativeArePathInverses) {
  const RunSpec spec = Spec();
  const RunSpec resolved = ResolveDataPaths(spec, "/some/checkout");
  EXPECT_EQ(resolved.data(0).shard(), "/some/checkout/data/work/shards/small1024_full/en_mix.train.shard");
  EXPECT_NE(RunHash(resolved), RunHash(spec));
  EXPECT_EQ(RunHash(RelativeDataPaths(resolved, "/some/checkout")), RunHash(spec));
  EXPECT_EQ(RunHash(RelativeDataPaths(resolved, "/some/checkout/")), RunHash(spec));
  // Paths outside the root stay as they are.
  EXPECT_EQ(RelativeDataPaths(resolved, "/elsewhere").data(0).shard(), resolved.data(0).shard());
  EXPECT_EQ(RunHash(spec).size(), 16u);
}

TEST(RecordsTest, RecordsMatchTheirRunByTheHashOfTheirOwnSpec) {
  const RunSpec spec = Spec();
  const PlannedRun run = Planned(spec);
  RunRecord record;
  *record.mutable_spec() = spec;
  record.set_complete(true);
  EXPECT_TRUE(IsCompleteFor(record, run));
  record.set_complete(false);
  EXPECT_FALSE(IsCompleteFor(record, run));
  EXPECT_FALSE(IsCompleteFor(std::nullopt, run));
  // The same run trained from an absolute path is not matched until converted.
  record.set_complete(true);
  *record.mutable_spec() = ResolveDataPaths(spec, "/work/runner");
  EXPECT_FALSE(RecordMatches(record, run));
  EXPECT_FALSE(IsCompleteFor(record, run));

  const std::string dir = RunDir(Tmp() + "/records", run.hash());
  fs::create_directories(dir);
  EXPECT_FALSE(ReadRecord(dir).has_value());
  EXPECT_TRUE(absl::IsNotFound(ReadRecordFile(dir + "/record.textproto").status()));
  *record.mutable_spec() = spec;
  record.set_final_val_loss(6.2992408594747227);
  ASSERT_TRUE(WriteRecordFile(dir + "/record.textproto", record).ok());
  const std::optional<RunRecord> back = ReadRecord(dir);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*back, record));
  ASSERT_TRUE(io::WriteFileAtomically(dir + "/record.textproto", "not a record {").ok());
  EXPECT_EQ(ReadRecordFile(dir + "/record.textproto").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RecordsTest, CurveCsvRoundTripsBitForBit) {
  Curve curve;
  curve.set_name("train_loss");
  const double values[] = {4.7520456314086914, 0.1, 1.0 / 3.0, 6.0, 1e-300, 123456789.125};
  int step = 0;
  for (double v : values) {
    auto* p = curve.add_point();
    p->set_step(++step);
    p->set_tokens(step * 1024);
    p->set_value(v);
  }
  const std::string text = CurveCsv(curve);
  EXPECT_EQ(text.substr(0, text.find('\n')), "step,tokens,train_loss");
  EXPECT_NE(text.find("\n2,2048,0.1\n"), std::string::npos) << "shortest form: " << text;
  const std::string path = Tmp() + "/curves.csv";
  ASSERT_TRUE(WriteCurveCsv(path, curve).ok());
  absl::StatusOr<Curve> back = ReadCurveCsv(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*back, curve));
  EXPECT_FALSE(ParseCurveCsv("step,value\n1,2\n", "x").ok());
  EXPECT_FALSE(ParseCurveCsv("step,tokens,train_loss\n1,2,abc\n", "x").ok());
}

RunRow Row() {
  RunRow r;
  r.hash = "05428a3955ef834d";
  r.name = "allocation_100m.cpu.d48l2.D81920.U40960.s0";
  r.params = 111936;
  r.total_tokens = 81920;
  r.unique_tokens = 40960;
  r.epochs = 2;
  r.code_fraction = 0.3;
  r.seed = 18446744073709551615ull;
  r.repeat_arm = true;
  r.flops = 55018782720;
  r.started = true;
  r.complete = true;
  r.final_val_loss = 6.2992408594747227;
  r.steps = 80;
  r.trained_tokens = 81920;
  r.wall_seconds = 7.764552481;
  r.tokens_per_second = 11479.306665011287;
  r.budget_order = "documents";
  r.source_tv = 0.49688865374970798;
  r.validation_source_tv = 0.0011270653386830877;
  r.final_val_loss_se = 0.0074957597841452548;
  return r;
}

TEST(RecordsTest, RunsCsvRoundTripsBitForBit) {
  std::vector<RunRow> rows = {Row(), Row()};
  rows[1].hash = "0000000000000001";
  rows[1].complete = false;
  rows[1].final_val_loss = 0;
  rows[1].started = false;
  rows[1].wall_seconds = 0;
  rows[1].budget_order = "representative";
  rows[1].source_tv.reset();  // an incomplete run (or an older record) has none
  rows[1].validation_source_tv.reset();
  rows[1].final_val_loss_se.reset();
  const std::string path = Tmp() + "/runs.csv";
  ASSERT_TRUE(WriteRunsCsv(path, rows).ok());
  std::string text;
  ASSERT_TRUE(io::ReadFile(path, &text).ok());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "hash,name,params,total_tokens,unique_tokens,epochs,code_fraction,seed,repeat_arm,flops,"
            "started,complete,final_val_loss,steps,trained_tokens,wall_seconds,tokens_per_second,"
            "budget_order,source_tv,validation_source_tv,final_val_loss_se");
  EXPECT_NE(text.find(",documents,0.496888653749708,0.0011270653386830877,0.007495759784145255\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(",representative,,,\n"), std::string::npos) << "unknown = empty: " << text;
  EXPECT_NE(text.find(",6.299240859474723,"), std::string::npos) << "shortest round-trip form: " << text;
  EXPECT_NE(text.find(",false,false,,80,"), std::string::npos) << "no loss for an incomplete run";
  absl::StatusOr<std::vector<RunRow>> back = ReadRunsCsv(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, rows);
  EXPECT_TRUE(absl::IsNotFound(ReadRunsCsv(Tmp() + "/no_such_runs.csv").status()));
}

TEST(RecordsTest, RunsCsvRefusesWhatItCannotWriteOrRead) {
  RunRow nan = Row();
  nan.final_val_loss = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(RunsCsv({nan}).status().code(), absl::StatusCode::kInvalidArgument);
  RunRow inf = Row();
  inf.tokens_per_second = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(RunsCsv({inf}).ok());
  RunRow comma = Row();
  comma.name = "a,b";
  EXPECT_FALSE(RunsCsv({comma}).ok());
  const std::string good = *RunsCsv({Row()});
  const std::string header = good.substr(0, good.find('\n') + 1);
  EXPECT_FALSE(ParseRunsCsv("", "x").ok());
  EXPECT_FALSE(ParseRunsCsv("hash,name\n", "x").ok());
  EXPECT_FALSE(ParseRunsCsv(header + "a,b,c\n", "x").ok());
  std::string bad = good;
  bad.replace(bad.find("6.299240859474723"), 17, "six");
  EXPECT_FALSE(ParseRunsCsv(bad, "x").ok());
  std::string nonbool = good;
  nonbool.replace(nonbool.find(",true,true,"), 11, ",true,yes,");
  EXPECT_FALSE(ParseRunsCsv(nonbool, "x").ok());
}

TEST(RecordsTest, RowsComeFromThePlanAndMatchingRecordsOnly) {
  const RunSpec spec = Spec();
  const PlannedRun run = Planned(spec);
  const RunRow none = MakeRunRow(run, std::nullopt);
  EXPECT_EQ(none.hash, run.hash());
  EXPECT_EQ(none.params, 111000);
  EXPECT_FALSE(none.started);
  EXPECT_FALSE(none.complete);

  RunRecord record;
  *record.mutable_spec() = spec;
  record.set_complete(true);
  record.set_params(111936);
  record.set_final_val_loss(6.5);
  record.set_steps(80);
  record.mutable_timings()->set_wall_seconds(7.5);
  record.mutable_timings()->set_train_tokens_per_second(11000);
  const RunRow row = MakeRunRow(run, record);
  EXPECT_TRUE(row.complete);
  EXPECT_EQ(row.params, 111936);  // the record's exact count
  EXPECT_EQ(row.flops, 6.0 * 111936 * 81920);
  EXPECT_EQ(row.final_val_loss, 6.5);
  EXPECT_EQ(row.steps, 80);
  EXPECT_EQ(row.wall_seconds, 7.5);

  *record.mutable_spec() = ResolveDataPaths(spec, "/elsewhere");  // another run's record
  EXPECT_FALSE(MakeRunRow(run, record).started);
}

// A record as committed before compact records: spec with /work/main/... shard paths, and the
// train_loss, val_loss and lr curves at every step. Its directory name is its run hash.
TEST(RecordsTest, ConversionKeepsEveryMeasuredValue) {
  const std::string hash = "05428a3955ef834d";
  absl::StatusOr<RunRecord> old =
      ReadRecordFile("tests/experiments/records/testdata/old_record_" + hash + ".textproto");
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_EQ(old->curve_size(), 3);
  ASSERT_EQ(old->spec().data(0).shard()[0], '/');
  ASSERT_NE(RunHash(old->spec()), hash);

  absl::StatusOr<ConvertedRecord> c = ConvertRecord(*old, hash);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->data_root, "/work/main");
  const RunRecord& r = c->record;
  EXPECT_EQ(RunHash(r.spec()), hash);
  EXPECT_EQ(r.spec().data(0).shard(), "data/work/shards/small1024_full/en_mix.train.shard");
  EXPECT_EQ(r.spec().validation_shard(), "data/work/shards/small1024_full/en_mix.validation.shard");
  EXPECT_EQ(r.final_val_loss(), 6.2992408594747227);
  EXPECT_EQ(r.final_val_loss(), old->final_val_loss());
  // Everything but the spec's paths and the moved curves is unchanged, field for field.
  RunRecord expected = *old;
  *expected.mutable_spec() = r.spec();
  expected.clear_curve();
  for (const Curve& curve : old->curve()) {
    if (curve.name() == "val_loss") *expected.add_curve() = curve;
  }
  EXPECT_TRUE(MessageDifferencer::Equals(r, expected));
  ASSERT_EQ(r.curve_size(), 1);
  EXPECT_EQ(r.curve(0).name(), "val_loss");
  EXPECT_TRUE(MessageDifferencer::Equals(r.provenance(), old->provenance()));
  EXPECT_TRUE(MessageDifferencer::Equals(r.timings(), old->timings()));
  EXPECT_EQ(r.params(), old->params());
  EXPECT_EQ(r.flops(), old->flops());
  // The train curve goes to curves.csv bit for bit; lr (a function of the spec) is dropped.
  ASSERT_EQ(c->curves.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(c->curves[0], old->curve(0)));
  absl::StatusOr<Curve> csv = ParseCurveCsv(CurveCsv(c->curves[0]), "curves.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*csv, old->curve(0)));
  // The converted record is much smaller and converts to itself.
  std::string before, after;
  google::protobuf::TextFormat::PrintToString(*old, &before);
  google::protobuf::TextFormat::PrintToString(r, &after);
  EXPECT_LT(after.size() * 4, before.size());
  absl::StatusOr<ConvertedRecord> again = ConvertRecord(r, hash);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->data_root.empty());
  EXPECT_TRUE(again->curves.empty());
  EXPECT_TRUE(MessageDifferencer::Equals(again->record, r));
  // In the wrong directory no root makes the hash: refused, not guessed.
  EXPECT_EQ(ConvertRecord(*old, "0123456789abcdef").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace datawall::records
