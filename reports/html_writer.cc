// HTML rendering of the report document (see html_writer.h).
#include "reports/html_writer.h"

namespace datawall::reports {
namespace {

constexpr char kStyle[] = R"css(
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dee7; --accent:#2458b3; --bg:#ffffff; --band:#f5f7fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#1f3b66; color:#fff; padding:28px 40px 22px; }
header h1 { margin:0 0 6px; font-size:26px; font-weight:600; }
header p { margin:0; color:#cbd6ea; font-size:13px; }
nav { position:sticky; top:0; line-height:1.9; background:#ffffffee; border-bottom:1px solid var(--line); padding:8px 40px; font-size:13px; z-index:2; }
nav a { color:var(--accent); text-decoration:none; margin-right:16px; white-space:nowrap; }
main { max-width:1180px; margin:0 auto; padding:10px 40px 60px; }
h2 { margin:38px 0 10px; padding-bottom:6px; border-bottom:2px solid var(--line); font-size:21px; }
h3 { margin:26px 0 8px; font-size:17px; }
h4 { margin:18px 0 6px; font-size:15px; }
p { margin:8px 0 12px; max-width:920px; }
code { font:12.5px/1.4 "SFMono-Regular", Menlo, Consolas, monospace; background:var(--band); padding:1px 4px; border-radius:3px; }
pre { background:var(--band); border:1px solid var(--line); padding:10px 12px; overflow-x:auto; border-radius:4px; }
pre code { background:none; padding:0; }
.note { border-left:4px solid #d9a400; background:#fff8e1; padding:8px 12px; margin:12px 0; max-width:920px; }
.tablewrap { overflow-x:auto; margin:10px 0 18px; }
table { border-collapse:collapse; font-size:13.5px; }
caption { caption-side:top; text-align:left; font-weight:600; padding:0 0 6px; }
th, td { padding:5px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--band); border-bottom:2px solid #b9c2d0; text-align:left; }
tbody tr:nth-child(even) td { background:#fafbfc; }
td.r, th.r { text-align:right; font-variant-numeric:tabular-nums; }
td.c, th.c { text-align:center; }
.tnote { font-size:12.5px; color:var(--muted); margin:4px 0 0; max-width:920px; }
figure { margin:16px 0 26px; border:1px solid var(--line); border-radius:6px; padding:12px; background:#fff; max-width:900px; }
figure svg { display:block; width:100%; height:auto; }
figcaption { font-size:13px; color:var(--muted); margin-top:6px; }
ul { margin:6px 0 14px; padding-left:22px; max-width:920px; }
li { margin:3px 0; }
)css";

std::string AlignClass(const Table& t, size_t column) {
  const Align a = column < t.align.size() ? t.align[column] : Align::kLeft;
  return a == Align::kRight ? " class=\"r\"" : (a == Align::kCenter ? " class=\"c\"" : "");
}

std::string RenderTable(const Table& t) {
  std::string out = "<div class=\"tablewrap\"><table";
  if (!t.id.empty()) out += " id=\"" + HtmlEscape(t.id) + "\"";
  out += ">\n";
  if (!t.caption.empty()) out += "<caption>" + InlineHtml(t.caption) + "</caption>\n";
  if (!t.header.empty()) {
    out += "<thead><tr>";
    for (size_t i = 0; i < t.header.size(); ++i) {
      out += "<th" + AlignClass(t, i) + ">" + InlineHtml(t.header[i]) + "</th>";
    }
    out += "</tr></thead>\n";
  }
  out += "<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out += "<td" + AlignClass(t, i) + ">" + InlineHtml(row[i]) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  if (!t.note.empty()) out += "<p class=\"tnote\">" + InlineHtml(t.note) + "</p>\n";
  return out;
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string InlineHtml(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '`') {
      const size_t end = text.find('`', i + 1);
      if (end != std::string::npos) {
        out += "<code>" + HtmlEscape(text.substr(i + 1, end - i - 1)) + "</code>";
        i = end + 1;
        continue;
      }
    } else if (text.compare(i, 2, "**") == 0) {
      const size_t end = text.find("**", i + 2);
      if (end != std::string::npos) {
        out += "<strong>" + InlineHtml(text.substr(i + 2, end - i - 2)) + "</strong>";
        i = end + 2;
        continue;
      }
    }
    out += HtmlEscape(std::string(1, text[i]));
    ++i;
  }
  return out;
}

std::string RenderHtml(const Document& doc) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      HtmlEscape(doc.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<header><h1>" + InlineHtml(doc.title) + "</h1>";
  if (!doc.subtitle.empty()) out += "<p>" + InlineHtml(doc.subtitle) + "</p>";
  out += "</header>\n";
  const auto sections = doc.Sections();
  if (!sections.empty()) {
    out += "<nav>";
    for (const auto& [id, text] : sections) {
      out += "<a href=\"#" + HtmlEscape(id) + "\">" + InlineHtml(text) + "</a>\n";  // wraps
    }
    out += "</nav>\n";
  }
  out += "<main>\n";
  for (const Block& b : doc.blocks()) {
    switch (b.kind) {
      case Block::kHeading: {
        const std::string tag = "h" + std::to_string(b.level == 1 ? 2 : b.level);
        out += "<" + tag + " id=\"" + HtmlEscape(b.id) + "\">" + InlineHtml(b.text) + "</" + tag +
               ">\n";
        break;
      }
      case Block::kParagraph:
        out += "<p>" + InlineHtml(b.text) + "</p>\n";
        break;
      case Block::kNote:
        out += "<div class=\"note\">" + InlineHtml(b.text) + "</div>\n";
        break;
      case Block::kList:
        out += "<ul>\n";
        for (const std::string& item : b.items) out += "<li>" + InlineHtml(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Block::kCode:
        out += "<pre><code>" + HtmlEscape(b.text) + "</code></pre>\n";
        break;
      case Block::kTable:
        out += RenderTable(b.table);
        break;
      case Block::kFigure:
        out += "<figure id=\"" + HtmlEscape(b.figure.id) + "\">\n" + b.figure.svg +
               "\n<figcaption>" + InlineHtml(b.figure.caption) + "</figcaption>\n</figure>\n";
        break;
    }
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace datawall::reports
