// gnuplot SVG rendering (see figure.h).
#include "reports/figure.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/io/atomic_file.h"
#include "tools/process/process.h"
#include "tools/result/status.h"

namespace datawall::reports {
namespace {

// A figure renders in well under a second; a gnuplot that hangs must not hang the report.
constexpr double kGnuplotTimeoutSeconds = 120;

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

bool Plottable(const Plot& plot, double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return false;
  if (plot.log_x && x <= 0) return false;
  if (plot.log_y && y <= 0) return false;
  return true;
}

int CountPoints(const Plot& plot, const Series& s) {
  int n = 0;
  for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) n += Plottable(plot, s.x[i], s.y[i]);
  return n;
}

std::string Range(const std::optional<std::pair<double, double>>& r) {
  if (!r) return "[*:*]";
  return absl::StrFormat("[%.17g:%.17g]", r->first, r->second);
}

}  // namespace

const std::vector<std::string>& Palette() {
  static const auto* palette = new std::vector<std::string>{
      "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D31"};
  return *palette;
}

std::string GnuplotData(const Plot& plot) {
  std::string out;
  bool first = true;
  for (const Series& s : plot.series) {
    if (CountPoints(plot, s) == 0) continue;
    if (!first) out += "\n\n";
    first = false;
    out += "# " + s.title + "\n";
    bool broken = false;
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!Plottable(plot, s.x[i], s.y[i])) {
        if (!broken) out += "\n";  // one blank line: gnuplot breaks the line, same block
        broken = true;
        continue;
      }
      broken = false;
      absl::StrAppendFormat(&out, "%.17g %.17g\n", s.x[i], s.y[i]);
    }
  }
  return out;
}

std::string GnuplotScript(const Plot& plot, const std::string& data_file,
                          const std::string& svg_file) {
  std::string s;
  absl::StrAppendFormat(&s,
                        "set terminal svg size %d,%d dynamic enhanced font 'Helvetica,13' "
                        "background rgb 'white'\n",
                        plot.width, plot.height);
  s += "set output " + Quote(svg_file) + "\n";
  s += "set encoding utf8\n";
  s += "set border 3 lw 1 lc rgb '#555555'\n";
  s += "set tics nomirror out scale 0.6 textcolor rgb '#333333'\n";
  s += "set grid xtics ytics mxtics mytics lw 0.6 lc rgb '#e4e7ec', lw 0.4 lc rgb '#f1f3f6'\n";
  if (!plot.title.empty()) s += "set title " + Quote(plot.title) + " noenhanced font ',15'\n";
  s += "set xlabel " + Quote(plot.x_label) + " noenhanced\n";
  s += "set ylabel " + Quote(plot.y_label) + " noenhanced\n";
  if (plot.log_x) s += "set logscale x\nset mxtics 10\n";
  if (plot.log_y) s += "set logscale y\nset mytics 10\n";
  if (plot.key == "off") {
    s += "set key off\n";
  } else {
    s += "set key " + plot.key +
         " noenhanced box lc rgb '#cccccc' opaque samplen 2.5 spacing 1.1 font ',12'\n";
  }
  int label_index = 1;
  for (const Label& l : plot.labels) {
    absl::StrAppendFormat(&s, "set label %d %s at %.17g,%.17g noenhanced font ',11' front\n",
                          label_index++, Quote(l.text), l.x, l.y);
  }
  s += "plot " + Range(plot.x_range) + " " + Range(plot.y_range) + " ";
  int block = 0;
  bool first = true;
  for (size_t i = 0; i < plot.series.size(); ++i) {
    const Series& series = plot.series[i];
    if (CountPoints(plot, series) == 0) continue;
    const std::string color =
        series.color.empty() ? Palette()[i % Palette().size()] : series.color;
    std::string style;
    switch (series.style) {
      case Series::kLines:
        style = absl::StrFormat("with lines lw %g", series.line_width);
        break;
      case Series::kDashed:
        style = absl::StrFormat("with lines lw %g dt (8,5)", series.line_width);
        break;
      case Series::kPoints:
        style = absl::StrFormat("with points pt %d ps %g", series.point_type, series.point_size);
        break;
      case Series::kLinesPoints:
        style = absl::StrFormat("with linespoints lw %g pt %d ps %g", series.line_width,
                                series.point_type, series.point_size);
        break;
    }
    if (!first) s += ", \\\n     ";
    first = false;
    absl::StrAppendFormat(&s, "%s index %d using 1:2 %s lc rgb '%s' ", Quote(data_file), block,
                          style, color);
    s += series.title.empty() ? "notitle" : "title " + Quote(series.title) + " noenhanced";
    ++block;
  }
  s += "\n";
  return s;
}

std::string StripXmlProlog(const std::string& svg) {
  const size_t start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

std::string PrefixSvgIds(const std::string& svg, const std::string& prefix) {
  // Collect the ids first, then rewrite definitions and references.
  std::set<std::string> ids;
  for (const char quote : {'\'', '"'}) {
    const std::string marker = std::string("id=") + quote;
    size_t pos = 0;
    while ((pos = svg.find(marker, pos)) != std::string::npos) {
      // Only a whole attribute name: preceded by whitespace.
      const bool whole = pos > 0 && std::isspace(static_cast<unsigned char>(svg[pos - 1]));
      const size_t begin = pos + marker.size();
      const size_t end = svg.find(quote, begin);
      if (end == std::string::npos) break;
      if (whole) ids.insert(svg.substr(begin, end - begin));
      pos = end;
    }
  }
  std::string out;
  out.reserve(svg.size() + 64);
  size_t i = 0;
  while (i < svg.size()) {
    bool done = false;
    for (const char quote : {'\'', '"'}) {
      const std::string marker = std::string("id=") + quote;
      if (svg.compare(i, marker.size(), marker) == 0 && i > 0 &&
          std::isspace(static_cast<unsigned char>(svg[i - 1]))) {
        const size_t begin = i + marker.size();
        const size_t end = svg.find(quote, begin);
        if (end != std::string::npos && ids.count(svg.substr(begin, end - begin))) {
          out += marker + prefix + svg.substr(begin, end - begin + 1);
          i = end + 1;
          done = true;
          break;
        }
      }
    }
    if (done) continue;
    if (svg[i] == '#') {
      size_t end = i + 1;
      while (end < svg.size() && (std::isalnum(static_cast<unsigned char>(svg[end])) ||
                                  svg[end] == '_' || svg[end] == '-')) {
        ++end;
      }
      const std::string name = svg.substr(i + 1, end - i - 1);
      if (!name.empty() && ids.count(name) && end < svg.size() &&
          (svg[end] == '\'' || svg[end] == '"' || svg[end] == ')')) {
        out += "#" + prefix + name;
        i = end;
        continue;
      }
    }
    out += svg[i];
    ++i;
  }
  return out;
}

absl::StatusOr<std::string> RenderSvg(const Plot& plot, const RenderOptions& options) {
  int total = 0;
  for (const Series& s : plot.series) {
    if (s.x.size() != s.y.size()) {
      return absl::InvalidArgumentError(absl::StrCat("figure '", plot.title, "': series '",
                                                     s.title, "' has ", s.x.size(), " x and ",
                                                     s.y.size(), " y values"));
    }
    total += CountPoints(plot, s);
  }
  if (total == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("figure '", plot.title, "': no plottable point"));
  }
  std::error_code ec;
  const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  std::string dir_template = (ec ? std::string("/tmp") : tmp.string()) + "/datawall_fig_XXXXXX";
  if (mkdtemp(dir_template.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a temporary directory from ",
                                            dir_template));
  }
  const std::string dir = dir_template;
  const std::string data = dir + "/data.dat";
  const std::string script = dir + "/plot.gp";
  const std::string svg_path = dir + "/figure.svg";
  auto cleanup = [&] {
    if (!options.keep_files) std::filesystem::remove_all(dir, ec);
  };
  Result written = io::WriteFileAtomically(data, GnuplotData(plot));
  if (written.ok()) written = io::WriteFileAtomically(script, GnuplotScript(plot, data, svg_path));
  if (!written.ok()) {
    cleanup();
    return ToStatus(written);
  }
  process::RunOptions run;
  run.timeout_seconds = kGnuplotTimeoutSeconds;
  const process::RunResult gnuplot = process::RunAndCapture({options.gnuplot, script}, run);
  std::string svg;
  if (!gnuplot.ok() || !io::ReadFile(svg_path, &svg).ok() ||
      svg.find("<svg") == std::string::npos) {
    const std::string& err_text = gnuplot.output;  // gnuplot writes the SVG to a file
    // The most telling line of gnuplot's stderr is usually the last non-empty one.
    std::string line;
    size_t end = err_text.find_last_not_of("\n ");
    if (end != std::string::npos) {
      size_t begin = err_text.rfind('\n', end);
      line = err_text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 -
                             (begin == std::string::npos ? 0 : begin + 1));
    }
    cleanup();
    return absl::InternalError(absl::StrCat("gnuplot failed (", gnuplot.Describe(),
                                            ") for figure '", plot.title, "'",
                                            line.empty() ? "" : ": ", line));
  }
  cleanup();
  return PrefixSvgIds(StripXmlProlog(svg), options.id_prefix);
}

}  // namespace datawall::reports
