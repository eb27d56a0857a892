// Figures for the report: a small plot description rendered to SVG by gnuplot.
//
//   Plot p;  p.x_label = "total tokens D"; p.log_x = true;
//   p.series.push_back({.title = "law", .x = xs, .y = ys});
//   absl::StatusOr<std::string> svg = RenderSvg(p, {.id_prefix = "fig1"});
//
// RenderSvg writes the data and a gnuplot script into a fresh temporary directory, runs
// `gnuplot` (Debian gnuplot-nox, SVG terminal), reads the SVG back, strips the XML prolog (so it
// can be inlined in HTML) and prefixes every element id (so several figures can share a page).
// Points that are not finite, or not positive on a log axis, are dropped (the line breaks there).
// Not here: the numbers being plotted (the section files), or placing the SVG in a page.
#ifndef DATAWALL_REPORTS_FIGURE_H_
#define DATAWALL_REPORTS_FIGURE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace datawall::reports {

struct Series {
  std::string title;  // legend entry; empty: not in the legend
  std::vector<double> x;
  std::vector<double> y;
  enum Style { kLines, kDashed, kPoints, kLinesPoints } style = kLines;
  std::string color;      // "#rrggbb"; empty: the palette colour of the series' index
  int point_type = 7;     // gnuplot point type (7 = filled circle, 5 = filled square, 3 = star)
  double point_size = 0.9;
  double line_width = 2.0;
};

struct Label {
  double x = 0;
  double y = 0;
  std::string text;
};

struct Plot {
  std::string title;
  std::string x_label;  // with units, e.g. "total tokens D (tokens)"
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::optional<std::pair<double, double>> x_range;
  std::optional<std::pair<double, double>> y_range;
  std::vector<Series> series;
  std::vector<Label> labels;
  std::string key = "top right";  // gnuplot key placement, or "off"
  int width = 760;                // SVG size in pixels
  int height = 460;
};

struct RenderOptions {
  std::string gnuplot = "gnuplot";  // the executable (looked up on PATH)
  std::string id_prefix = "fig";    // prepended to every id inside the SVG
  bool keep_files = false;          // leave the temporary directory (for debugging)
};

// The data file: one gnuplot "index" block per series, blocks separated by two blank lines.
std::string GnuplotData(const Plot& plot);
// The script that plots `data_file` into `svg_file`.
std::string GnuplotScript(const Plot& plot, const std::string& data_file,
                          const std::string& svg_file);
// Runs gnuplot. Errors: a series whose x and y differ in length, no plottable point at all, or
// gnuplot missing/failing (the message carries gnuplot's first stderr line).
absl::StatusOr<std::string> RenderSvg(const Plot& plot, const RenderOptions& options = {});

// Drops everything before "<svg" (XML declaration, DOCTYPE).
std::string StripXmlProlog(const std::string& svg);
// Renames every id='x' / id="x" to prefix+x and rewrites the matching #x references.
std::string PrefixSvgIds(const std::string& svg, const std::string& prefix);

// The palette (Okabe-Ito, colour-blind safe).
const std::vector<std::string>& Palette();

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_FIGURE_H_
