// Number formatting for report tables: fixed decimals, scientific, counts with K/M/B/T suffixes,
// and percentages. Non-finite values print as "n/a" (a report never shows "nan" or "inf").
// Not here: units in JSON (the report has none) or table layout (document.h).
#ifndef DATAWALL_REPORTS_FORMAT_H_
#define DATAWALL_REPORTS_FORMAT_H_

#include <string>

namespace datawall::reports {

std::string Fixed(double v, int decimals);       // Fixed(0.77220, 4) = "0.7722"
std::string Sci(double v, int significant = 3);  // Sci(9.3e21) = "9.30e21"
std::string Count(double v);                     // Count(6.34e9) = "6.34B", Count(2.4e11) = "240B"
std::string Percent(double ratio, int decimals = 1);  // Percent(0.0062) = "0.6%"
std::string Signed(double v, int decimals);      // "+0.0012" / "-0.0030"

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_FORMAT_H_
