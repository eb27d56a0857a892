#include "sim/format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace datawall::sim {
namespace {

std::string Printf(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

bool Finite(const Record& r, std::string* bad_field) {
  for (const Value& v : r) {
    if (v.kind == Value::kNumber && !std::isfinite(v.number)) {
      *bad_field = v.name;
      return false;
    }
  }
  return true;
}

void AppendCsvCell(std::string* out, const Value& v) {
  switch (v.kind) {
    case Value::kNumber: AppendNumber(out, v.number); break;
    case Value::kBool: out->append(v.flag ? "true" : "false"); break;
    case Value::kText: out->append(v.text); break;
  }
}

void AppendJsonValue(std::string* out, const Value& v) {
  switch (v.kind) {
    case Value::kNumber: AppendNumber(out, v.number); break;
    case Value::kBool: out->append(v.flag ? "true" : "false"); break;
    case Value::kText: AppendJsonString(out, v.text); break;
  }
}

void AppendJsonObject(std::string* out, const Record& r) {
  out->push_back('{');
  for (size_t i = 0; i < r.size(); ++i) {
    if (i) out->append(", ");
    AppendJsonString(out, r[i].name);
    out->append(": ");
    AppendJsonValue(out, r[i]);
  }
  out->push_back('}');
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

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", ch);
      out->append(buf);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

bool FormatRecord(const Record& record, OutputFormat format, std::string* out,
                  std::string* bad_field) {
  if (!Finite(record, bad_field)) return false;
  switch (format) {
    case OutputFormat::kJson:
      AppendJsonObject(out, record);
      out->push_back('\n');
      break;
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
  return true;
}

bool FormatTable(const std::vector<Record>& rows, OutputFormat format, std::string* out,
                 std::string* bad_field) {
  for (const Record& r : rows) {
    if (!Finite(r, bad_field)) return false;
  }
  switch (format) {
    case OutputFormat::kJson:
      out->push_back('[');
      for (size_t i = 0; i < rows.size(); ++i) {
        out->append(i ? ",\n " : "");
        AppendJsonObject(out, rows[i]);
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
  return true;
}

}  // namespace datawall::sim
