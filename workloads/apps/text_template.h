// Text templating with Google's ctemplate (pyperformance's django_template, genshi and mako):
// an HTML page with a table row per record, a nested loop of tags in each row, every field
// escaped. The template is compiled once; each Render fills a dictionary and expands it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "workloads/apps/document.h"

namespace ocibench::apps {

// The page (ctemplate syntax): a <tr class="record"> per record with id, name, e-mail, a link
// to its city (URL-escaped), score, tags (a nested section with separators) and item count.
std::string_view PageTemplateText();

class PageTemplate {
 public:
  // Compiles `text` into a private, frozen template cache. Throws std::runtime_error naming
  // ctemplate when the text does not parse (e.g. an unterminated section).
  explicit PageTemplate(std::string_view text = PageTemplateText());
  ~PageTemplate();
  PageTemplate(const PageTemplate&) = delete;
  PageTemplate& operator=(const PageTemplate&) = delete;

  // The page for `d` under `title`: dictionary built, template expanded. Every string value is
  // HTML-escaped (:h); the city also URL-query-escaped in its link (:u).
  std::string Render(const Document& d, std::string_view title) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Rows in a rendered page: occurrences of `<tr class="record`.
std::size_t CountRecordRows(std::string_view html);

}  // namespace ocibench::apps
