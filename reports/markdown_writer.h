// Renders a Document as GitHub-flavoured Markdown (REPORT.md).
//
// Tables become pipe tables (cells have '|' escaped, newlines folded), figures become image links
// to their SVG files (the caller writes those files next to REPORT.md), notes become blockquotes.
// Inline `code` and **bold** pass through unchanged. Not here: HTML (html_writer.h), file I/O.
#ifndef DATAWALL_REPORTS_MARKDOWN_WRITER_H_
#define DATAWALL_REPORTS_MARKDOWN_WRITER_H_

#include <string>

#include "reports/document.h"

namespace datawall::reports {

std::string RenderMarkdown(const Document& doc);
// One pipe table (header, alignment row, rows), ending with a newline.
std::string MarkdownTable(const Table& table);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_MARKDOWN_WRITER_H_
