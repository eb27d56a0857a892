// Run records, curves.csv and runs.csv (see records.h).
#include "experiments/records/records.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"
#include "tools/result/status.h"

namespace datawall::records {
namespace {

// The shortest of %.15g / %.16g / %.17g that reads back as exactly `v`.
std::string Number(double v) {
  char buffer[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

absl::Status Invalid(const std::string& where, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", message));
}

template <typename F>
void ForEachShard(RunSpec* spec, F f) {
  for (auto& d : *spec->mutable_data()) d.set_shard(f(d.shard()));
  spec->set_validation_shard(f(spec->validation_shard()));
}

absl::Status WriteText(const std::string& path, const std::string& text) {
  return ToStatus(io::WriteFileAtomically(path, text));
}

// runs.csv columns, in order.
constexpr const char* kRunsColumns[] = {
    "hash", "name", "params", "total_tokens", "unique_tokens", "epochs", "code_fraction", "seed",
    "repeat_arm", "flops", "started", "complete", "final_val_loss", "steps", "trained_tokens",
    "wall_seconds", "tokens_per_second", "budget_order", "source_tv", "validation_source_tv",
    "final_val_loss_se"};
constexpr size_t kRunsColumnCount = sizeof(kRunsColumns) / sizeof(kRunsColumns[0]);

bool ParseBool(absl::string_view s, bool* out) {
  if (s == "true") return *out = true, true;
  if (s == "false") return *out = false, true;
  return false;
}

std::string Optional(const std::optional<double>& v) { return v ? Number(*v) : std::string(); }

bool ParseOptional(absl::string_view s, std::optional<double>* out) {
  if (s.empty()) return out->reset(), true;
  double v;
  if (!absl::SimpleAtod(s, &v) || !std::isfinite(v)) return false;
  return *out = v, true;
}

bool ParseOrderName(absl::string_view s, std::string* out) {
  for (const auto o : {experiments::REPRESENTATIVE, experiments::DOCUMENTS,
                       experiments::SHARD_PREFIX}) {
    if (s == BudgetOrderName(o)) return *out = std::string(s), true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ReadText(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return absl::NotFoundError(absl::StrCat(path, ": missing"));
  std::string text;
  // It exists, so failing to read it is internal (not the kind ReadFile gives a missing file).
  if (const Result r = io::ReadFile(path, &text); !r.ok()) return absl::InternalError(r.message());
  return text;
}

std::string BudgetOrderName(experiments::BudgetOrder order) {
  switch (order) {
    case experiments::DOCUMENTS: return "documents";
    case experiments::SHARD_PREFIX: return "shard_prefix";
    default: return "representative";
  }
}

std::string CanonicalText(const RunSpec& spec) {
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.PrintToString(spec, &text);
  return text;
}

std::string RunHash(const RunSpec& spec) { return io::HexChecksum(CanonicalText(spec)); }

RunSpec ResolveDataPaths(const RunSpec& spec, const std::string& root) {
  RunSpec out = spec;
  ForEachShard(&out, [&](const std::string& p) {
    return p.empty() || p[0] == '/' ? p : absl::StrCat(root, "/", p);
  });
  return out;
}

RunSpec RelativeDataPaths(const RunSpec& spec, const std::string& root) {
  RunSpec out = spec;
  const std::string prefix = root.empty() || root.back() == '/' ? root : root + "/";
  ForEachShard(&out, [&](const std::string& p) {
    return !prefix.empty() && p.size() > prefix.size() && p.compare(0, prefix.size(), prefix) == 0
               ? p.substr(prefix.size())
               : p;
  });
  return out;
}

std::string RunDir(const std::string& out_dir, const std::string& hash) {
  return absl::StrCat(out_dir, "/runs/", hash);
}

absl::StatusOr<RunRecord> ReadRecordFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadText(path);
  if (!text.ok()) return text.status();
  RunRecord record;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &record)) {
    return Invalid(path, "not a RunRecord in protobuf text format");
  }
  return record;
}

std::optional<RunRecord> ReadRecord(const std::string& run_dir) {
  absl::StatusOr<RunRecord> record = ReadRecordFile(absl::StrCat(run_dir, "/", kRecordFile));
  if (!record.ok()) return std::nullopt;
  return *std::move(record);
}

absl::Status WriteRecordFile(const std::string& path, const RunRecord& record) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(record, &text);
  return WriteText(path, text);
}

bool RecordMatches(const RunRecord& record, const PlannedRun& run) {
  return RunHash(record.spec()) == run.hash();
}

bool IsCompleteFor(const std::optional<RunRecord>& record, const PlannedRun& run) {
  return record && record->complete() && RecordMatches(*record, run);
}

std::vector<std::optional<RunRecord>> LoadRecords(const SweepPlan& plan, const std::string& out_dir) {
  std::vector<std::optional<RunRecord>> out;
  for (const PlannedRun& run : plan.runs()) out.push_back(ReadRecord(RunDir(out_dir, run.hash())));
  return out;
}

// ---- curves.csv -----------------------------------------------------------------------------

std::string CurveCsv(const Curve& curve) {
  std::string out = absl::StrCat("step,tokens,", curve.name(), "\n");
  for (const auto& p : curve.point()) {
    absl::StrAppend(&out, p.step(), ",", p.tokens(), ",", Number(p.value()), "\n");
  }
  return out;
}

absl::StatusOr<Curve> ParseCurveCsv(const std::string& text, const std::string& where) {
  Curve curve;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    ++line_number;
    const std::vector<absl::string_view> f = absl::StrSplit(line, ',');
    if (f.size() != 3) return Invalid(where, absl::StrCat("line ", line_number, ": want 3 fields"));
    if (line_number == 1) {
      if (f[0] != "step" || f[1] != "tokens" || f[2].empty()) {
        return Invalid(where, "line 1: want the header step,tokens,<curve>");
      }
      curve.set_name(std::string(f[2]));
      continue;
    }
    int64_t step = 0, tokens = 0;
    double value = 0;
    if (!absl::SimpleAtoi(f[0], &step) || !absl::SimpleAtoi(f[1], &tokens) ||
        !absl::SimpleAtod(f[2], &value)) {
      return Invalid(where, absl::StrCat("line ", line_number, ": not a number"));
    }
    auto* p = curve.add_point();
    p->set_step(step);
    p->set_tokens(tokens);
    p->set_value(value);
  }
  if (line_number == 0) return Invalid(where, "empty");
  return curve;
}

absl::Status WriteCurveCsv(const std::string& path, const Curve& curve) {
  return WriteText(path, CurveCsv(curve));
}

absl::StatusOr<Curve> ReadCurveCsv(const std::string& path) {
  absl::StatusOr<std::string> text = ReadText(path);
  if (!text.ok()) return text.status();
  return ParseCurveCsv(*text, path);
}

// ---- runs.csv -------------------------------------------------------------------------------

RunRow MakeRunRow(const PlannedRun& run, const std::optional<RunRecord>& record) {
  RunRow row;
  row.hash = run.hash();
  row.name = run.spec().name();
  row.params = run.params();
  row.total_tokens = run.spec().total_tokens();
  row.unique_tokens = run.spec().unique_tokens();
  row.epochs = run.epochs();
  row.code_fraction = run.code_fraction();
  row.seed = run.spec().seed();
  row.repeat_arm = run.repeat_arm();
  row.flops = run.flops();
  row.budget_order = BudgetOrderName(run.spec().budget_order());
  if (record && RecordMatches(*record, run)) {
    row.started = true;
    row.steps = record->steps();
    row.trained_tokens = record->trained_tokens();
    if (record->complete()) {
      row.complete = true;
      row.final_val_loss = record->final_val_loss();
      if (record->params() > 0) {
        row.params = record->params();
        row.flops = 6.0 * record->params() * run.spec().total_tokens();
      }
      row.wall_seconds = record->timings().wall_seconds();
      row.tokens_per_second = record->timings().train_tokens_per_second();
      if (record->budget_size() > 0) {
        double tv = 0;
        for (const auto& b : record->budget()) tv = std::max(tv, b.source_tv());
        row.source_tv = tv;
        row.validation_source_tv = record->validation_source_tv();
      }
      if (record->final_val_loss_se() > 0) row.final_val_loss_se = record->final_val_loss_se();
    }
  }
  return row;
}

std::vector<RunRow> MakeRunRows(const SweepPlan& plan,
                                const std::vector<std::optional<RunRecord>>& records) {
  std::vector<RunRow> rows;
  for (int i = 0; i < plan.runs_size(); ++i) {
    rows.push_back(MakeRunRow(plan.runs(i), i < static_cast<int>(records.size()) ? records[i]
                                                                                 : std::nullopt));
  }
  return rows;
}

absl::StatusOr<std::string> RunsCsv(const std::vector<RunRow>& rows) {
  std::string out = absl::StrCat(absl::StrJoin(kRunsColumns, ","), "\n");
  for (const RunRow& r : rows) {
    if (r.name.find_first_of(",\"\n\r") != std::string::npos || r.hash.empty() ||
        r.hash.find_first_of(",\"\n\r") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("runs.csv: run \"", r.name, "\" (", r.hash, "): a name or hash with a comma, quote or newline"));
    }
    for (double v : {r.epochs, r.code_fraction, r.flops, r.final_val_loss, r.wall_seconds,
                     r.tokens_per_second, r.source_tv.value_or(0),
                     r.validation_source_tv.value_or(0), r.final_val_loss_se.value_or(0)}) {
      if (!std::isfinite(v)) {
        return absl::InvalidArgumentError(
            absl::StrCat("runs.csv: run ", r.name, ": a non-finite number"));
      }
    }
    absl::StrAppend(&out, r.hash, ",", r.name, ",", r.params, ",", r.total_tokens, ",",
                    r.unique_tokens, ",", Number(r.epochs), ",", Number(r.code_fraction), ",",
                    r.seed, ",", r.repeat_arm ? "true" : "false", ",", Number(r.flops), ",",
                    r.started ? "true" : "false", ",", r.complete ? "true" : "false", ",",
                    r.complete ? Number(r.final_val_loss) : "", ",", r.steps, ",",
                    r.trained_tokens, ",", Number(r.wall_seconds), ",",
                    Number(r.tokens_per_second), ",", r.budget_order, ",", Optional(r.source_tv),
                    ",", Optional(r.validation_source_tv), ",", Optional(r.final_val_loss_se),
                    "\n");
  }
  return out;
}

absl::StatusOr<std::vector<RunRow>> ParseRunsCsv(const std::string& text, const std::string& where) {
  std::vector<RunRow> rows;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    ++line_number;
    const std::vector<absl::string_view> f = absl::StrSplit(line, ',');
    if (f.size() != kRunsColumnCount) {
      return Invalid(where, absl::StrCat("line ", line_number, ": ", f.size(), " fields, want ",
                                         kRunsColumnCount));
    }
    if (line_number == 1) {
      for (size_t i = 0; i < kRunsColumnCount; ++i) {
        if (f[i] != kRunsColumns[i]) {
          return Invalid(where, absl::StrCat("line 1: column ", i + 1, " is \"", f[i],
                                             "\", want \"", kRunsColumns[i], "\""));
        }
      }
      continue;
    }
    RunRow r;
    r.hash = std::string(f[0]);
    r.name = std::string(f[1]);
    const bool ok =
        !r.hash.empty() && absl::SimpleAtoi(f[2], &r.params) &&
        absl::SimpleAtoi(f[3], &r.total_tokens) && absl::SimpleAtoi(f[4], &r.unique_tokens) &&
        absl::SimpleAtod(f[5], &r.epochs) && absl::SimpleAtod(f[6], &r.code_fraction) &&
        absl::SimpleAtoi(f[7], &r.seed) && ParseBool(f[8], &r.repeat_arm) &&
        absl::SimpleAtod(f[9], &r.flops) && ParseBool(f[10], &r.started) &&
        ParseBool(f[11], &r.complete) &&
        (r.complete ? absl::SimpleAtod(f[12], &r.final_val_loss) : f[12].empty()) &&
        absl::SimpleAtoi(f[13], &r.steps) && absl::SimpleAtoi(f[14], &r.trained_tokens) &&
        absl::SimpleAtod(f[15], &r.wall_seconds) && absl::SimpleAtod(f[16], &r.tokens_per_second) &&
        ParseOrderName(f[17], &r.budget_order) && ParseOptional(f[18], &r.source_tv) &&
        ParseOptional(f[19], &r.validation_source_tv) && ParseOptional(f[20], &r.final_val_loss_se);
    if (!ok) return Invalid(where, absl::StrCat("line ", line_number, ": a field does not parse"));
    rows.push_back(std::move(r));
  }
  if (line_number == 0) return Invalid(where, "empty (want a header line)");
  return rows;
}

absl::Status WriteRunsCsv(const std::string& path, const std::vector<RunRow>& rows) {
  absl::StatusOr<std::string> text = RunsCsv(rows);
  if (!text.ok()) return text.status();
  return WriteText(path, *text);
}

absl::StatusOr<std::vector<RunRow>> ReadRunsCsv(const std::string& path) {
  absl::StatusOr<std::string> text = ReadText(path);
  if (!text.ok()) return text.status();
  return ParseRunsCsv(*text, path);
}

// ---- Conversion -----------------------------------------------------------------------------

absl::StatusOr<ConvertedRecord> ConvertRecord(const RunRecord& old, const std::string& hash) {
  ConvertedRecord out;
  out.record = old;
  out.record.clear_curve();
  for (const Curve& c : old.curve()) {
    if (c.name() == kRecordCurve) {
      *out.record.add_curve() = c;
    } else if (c.name() != "lr") {
      out.curves.push_back(c);
    }
  }
  if (RunHash(old.spec()) == hash) return out;
  // The first absolute shard path gives the candidate roots: each of its parent directories.
  std::string first;
  for (const auto& d : old.spec().data()) {
    if (first.empty() && !d.shard().empty() && d.shard()[0] == '/') first = d.shard();
  }
  if (first.empty() && !old.spec().validation_shard().empty() &&
      old.spec().validation_shard()[0] == '/') {
    first = old.spec().validation_shard();
  }
  for (size_t slash = first.find('/', 1); slash != std::string::npos;
       slash = first.find('/', slash + 1)) {
    const std::string root = first.substr(0, slash);
    RunSpec relative = RelativeDataPaths(old.spec(), root);
    if (RunHash(relative) == hash) {
      *out.record.mutable_spec() = std::move(relative);
      out.data_root = root;
      return out;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "record of ", old.spec().name(), ": no data root makes its spec hash to ", hash,
      " (is it in the right runs/<hash>/ directory?)"));
}

}  // namespace datawall::records
