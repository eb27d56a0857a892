#include "sim/format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace datawall::sim {
namespace {

std::string Printf(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

// The text and CSV formats apply tools/json's policy too, with its message.
absl::Status CheckFinite(const Record& r) {
  for (const Value& v : r) {
    if (v.kind == Value::kNumber && !std::isfinite(v.number)) {
      return absl::InvalidArgumentError(
          absl::StrCat(v.name, ": not a finite number (",
                       std::isnan(v.number) ? "nan" : v.number > 0 ? "inf" : "-inf", ")"));
    }
  }
  return absl::OkStatus();
}

void AppendCsvCell(std::string* out, const Value& v) {
  switch (v.kind) {
    case Value::kNumber: AppendNumber(out, v.number); break;
    case Value::kBool: out->append(v.flag ? "true" : "false"); break;
    case Value::kText: out->append(v.text); break;
  }
}

void AppendCsvHeader(std::string* out, const Record& r) {
  for (size_t i = 0; i < r.size(); ++i) {
    if (i) out->push_back(',');
    out->append(r[i].name);
  }
  out->push_back('\n');
}

void AppendCsvRow(std::string* out, const Record& r) {
  for (size_t i = 0; i < r.size(); ++i) {
    if (i) out->push_back(',');
    AppendCsvCell(out, r[i]);
  }
  out->push_back('\n');
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "csv") return OutputFormat::kCsv;
  return std::nullopt;
}

std::string OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText: return "text";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kCsv: return "csv";
  }
  return "text";
}

bool AbslParseFlag(absl::string_view text, OutputFormat* format, std::string* error) {
  const std::optional<OutputFormat> parsed = ParseOutputFormat(std::string_view(text.data(), text.size()));
  if (!parsed) {
    *error = "must be text, json or csv";
    return false;
  }
  *format = *parsed;
  return true;
}

std::string AbslUnparseFlag(OutputFormat format) { return OutputFormatName(format); }

Value Num(std::string name, double v, Unit unit) {
  Value x;
  x.name = std::move(name);
  x.number = v;
  x.unit = unit;
  return x;
}
Value Bool(std::string name, bool v) {
  Value x;
  x.name = std::move(name);
  x.kind = Value::kBool;
  x.flag = v;
  return x;
}
Value Text(std::string name, std::string v) {
  Value x;
  x.name = std::move(name);
  x.kind = Value::kText;
  x.text = std::move(v);
  return x;
}

std::string HumanCount(double v) {
  const double a = std::abs(v);
  struct Scale {
    double factor;
    const char* suffix;
  };
  static constexpr Scale kScales[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
  if (a >= 999.5e12) return Printf("%.2e", v);
  for (const Scale& s : kScales) {
    // Round first so 999.7M prints as 1.00B, not 1000M.
    if (a >= s.factor * 0.9995) {
      const double x = v / s.factor;
      const double ax = std::abs(x);
      const char* fmt = ax >= 99.95 ? "%.0f" : ax >= 9.995 ? "%.1f" : "%.2f";
      return Printf(fmt, x) + s.suffix;
    }
  }
  if (a >= 1 || a == 0) return Printf(a >= 99.95 ? "%.0f" : a >= 9.995 ? "%.1f" : "%.2f", v);
  return Printf("%.3g", v);
}

std::string Human(const Value& v) {
  switch (v.kind) {
    case Value::kBool: return v.flag ? "yes" : "no";
    case Value::kText: return v.text;
    case Value::kNumber: break;
  }
  switch (v.unit) {
    case Unit::kPlain: return Printf("%.6g", v.number);
    case Unit::kLoss: return Printf(std::abs(v.number) < 1e6 ? "%.6f" : "%.6g", v.number);
    case Unit::kParams: return HumanCount(v.number) + " params";
    case Unit::kTokens: return HumanCount(v.number) + " tokens";
    case Unit::kEpochs: return Printf(std::abs(v.number) >= 99.95 ? "%.0f" : "%.3g", v.number) + " epochs";
    case Unit::kFlops: return Printf("%.3g", v.number) + " FLOPs";
    case Unit::kRatio: return Printf("%.4g", v.number);
  }
  return "";
}

void AppendNumber(std::string* out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr);
}

json::Json RecordJson(const Record& record) {
  json::Json out = json::Json::object();
  for (const Value& v : record) {
    switch (v.kind) {
      case Value::kNumber: out[v.name] = v.number; break;
      case Value::kBool: out[v.name] = v.flag; break;
      case Value::kText: out[v.name] = v.text; break;
    }
  }
  return out;
}

json::Json TableJson(const std::vector<Record>& rows) {
  json::Json out = json::Json::array();
  for (const Record& r : rows) out.push_back(RecordJson(r));
  return out;
}

absl::StatusOr<std::string> FormatRecord(const Record& record, OutputFormat format) {
  std::string text;
  std::string* out = &text;
  if (absl::Status s = CheckFinite(record); !s.ok()) return s;
  switch (format) {
    case OutputFormat::kJson: {
      absl::StatusOr<std::string> object = json::Dump(RecordJson(record));
      if (!object.ok()) return object.status();
      out->append(*object).push_back('\n');
      break;
    }
    case OutputFormat::kCsv:
      AppendCsvHeader(out, record);
      AppendCsvRow(out, record);
      break;
    case OutputFormat::kText: {
      size_t width = 0;
      for (const Value& v : record) width = std::max(width, v.name.size());
      for (const Value& v : record) {
        out->append(v.name);
        out->append(width + 2 - v.name.size(), ' ');
        out->append(Human(v));
        out->push_back('\n');
      }
      break;
    }
  }
  return text;
}

absl::StatusOr<std::string> FormatTable(const std::vector<Record>& rows, OutputFormat format) {
  std::string text;
  std::string* out = &text;
  for (const Record& r : rows) {
    if (absl::Status s = CheckFinite(r); !s.ok()) return s;
  }
  switch (format) {
    case OutputFormat::kJson:
      // One object per line: each through json::Dump, joined as one array.
      out->push_back('[');
      for (size_t i = 0; i < rows.size(); ++i) {
        absl::StatusOr<std::string> object = json::Dump(RecordJson(rows[i]));
        if (!object.ok()) return absl::InvalidArgumentError(absl::StrCat("[", i, "].", object.status().message()));
        out->append(i ? ",\n " : "").append(*object);
      }
      out->append("]\n");
      break;
    case OutputFormat::kCsv:
      if (!rows.empty()) AppendCsvHeader(out, rows[0]);
      for (const Record& r : rows) AppendCsvRow(out, r);
      break;
    case OutputFormat::kText: {
      if (rows.empty()) break;
      const size_t cols = rows[0].size();
      std::vector<std::vector<std::string>> cells(rows.size() + 1);
      std::vector<size_t> width(cols, 0);
      for (size_t c = 0; c < cols; ++c) cells[0].push_back(rows[0][c].name);
      for (size_t r = 0; r < rows.size(); ++r) {
        for (size_t c = 0; c < cols && c < rows[r].size(); ++c) {
          cells[r + 1].push_back(Human(rows[r][c]));
        }
      }
      for (const auto& line : cells) {
        for (size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
      }
      for (const auto& line : cells) {
        for (size_t c = 0; c < line.size(); ++c) {
          if (c) out->append("  ");
          out->append(width[c] - line[c].size(), ' ');  // right-aligned
          out->append(line[c]);
        }
        out->push_back('\n');
      }
      break;
    }
  }
  return text;
}

}  // namespace datawall::sim
