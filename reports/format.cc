// Number formatting for report tables (see format.h).
#include "reports/format.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace datawall::reports {

std::string Fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  std::string s = absl::StrFormat("%.*f", decimals, v);
  if (s.rfind("-0", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos) s = s.substr(1);
  return s;
}

std::string Sci(double v, int significant) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0";
  const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  double mantissa = v / std::pow(10.0, exponent);
  int e = exponent;
  std::string m = absl::StrFormat("%.*f", significant - 1, mantissa);
  if (m == absl::StrFormat("%.*f", significant - 1, 10.0) ||
      m == absl::StrFormat("%.*f", significant - 1, -10.0)) {
    mantissa /= 10;
    ++e;
    m = absl::StrFormat("%.*f", significant - 1, mantissa);
  }
  return absl::StrFormat("%se%d", m, e);
}

std::string Count(double v) {
  if (!std::isfinite(v)) return "n/a";
  const double a = std::fabs(v);
  const char* suffix = "";
  double scaled = v;
  if (a >= 1e15) return Sci(v, 3);
  if (a >= 1e12) {
    suffix = "T";
    scaled = v / 1e12;
  } else if (a >= 1e9) {
    suffix = "B";
    scaled = v / 1e9;
  } else if (a >= 1e6) {
    suffix = "M";
    scaled = v / 1e6;
  } else if (a >= 1e3) {
    suffix = "K";
    scaled = v / 1e3;
  }
  const double s = std::fabs(scaled);
  // Three significant digits.
  const int decimals = s >= 100 ? 0 : (s >= 10 ? 1 : 2);
  return absl::StrFormat("%.*f%s", decimals, scaled, suffix);
}

std::string Percent(double ratio, int decimals) {
  if (!std::isfinite(ratio)) return "n/a";
  return absl::StrFormat("%.*f%%", decimals, 100 * ratio);
}

std::string Signed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  return absl::StrFormat("%+.*f", decimals, v);
}

}  // namespace datawall::reports
