// Renders a Document as one self-contained HTML page (index.html): inline CSS, a table of
// contents, tables, and figures as inline <svg> (no external files, scripts or fonts).
//
// Text is HTML-escaped; the inline marks `code` and **bold** become <code> and <strong>.
// Not here: Markdown (markdown_writer.h), file I/O, producing the SVG (figure.h).
#ifndef DATAWALL_REPORTS_HTML_WRITER_H_
#define DATAWALL_REPORTS_HTML_WRITER_H_

#include <string>

#include "reports/document.h"

namespace datawall::reports {

std::string RenderHtml(const Document& doc);

// Escapes &, <, >, " and '.
std::string HtmlEscape(const std::string& text);
// Escapes text and turns `code` and **bold** into <code> and <strong>. An unmatched mark is
// kept as literal text.
std::string InlineHtml(const std::string& text);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_HTML_WRITER_H_
