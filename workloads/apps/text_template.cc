// The ctemplate page of the apps group's template workload (text_template.h).
#include "workloads/apps/text_template.h"

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>

#include <stdexcept>

namespace ocibench::apps {
namespace {

constexpr const char* kKey = "page.tpl";

// DO_NOT_STRIP keeps the page's newlines, so the output reads like a real server's page.
constexpr ctemplate::Strip kStrip = ctemplate::DO_NOT_STRIP;

constexpr std::string_view kPage = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{TITLE:h}}</title></head>
<body>
<h1>{{TITLE:h}}</h1>
<table class="records">
<thead><tr><th>id</th><th>name</th><th>e-mail</th><th>city</th><th>score</th><th>tags</th><th>items</th></tr></thead>
<tbody>
{{#RECORD}}<tr class="record{{#ACTIVE}} active{{/ACTIVE}}">
<td>{{ID}}</td><td>{{NAME:h}}</td><td><a href="mailto:{{EMAIL:h}}">{{EMAIL:h}}</a></td>
<td><a href="/city?name={{CITY:u}}">{{CITY:h}}</a></td><td>{{SCORE}}</td>
<td>{{#TAG}}<span class="tag">{{TAG_NAME:h}}</span>{{#TAG_separator}}, {{/TAG_separator}}{{/TAG}}</td><td>{{ITEMS}}</td></tr>
{{/RECORD}}</tbody>
</table>
<p>{{ROWS}} records</p>
</body>
</html>
)";

ctemplate::TemplateString Ts(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::string_view PageTemplateText() { return kPage; }

struct PageTemplate::Impl {
  ctemplate::TemplateCache cache;
};

PageTemplate::PageTemplate(std::string_view text) : impl_(std::make_unique<Impl>()) {
  if (!impl_->cache.StringToTemplateCache(kKey, Ts(text), kStrip))
    throw std::runtime_error("ctemplate: the page template does not parse");
  // Frozen: expansion never looks for a newer copy on disk (ExpandNoLoad, const).
  impl_->cache.Freeze();
}

PageTemplate::~PageTemplate() = default;

std::string PageTemplate::Render(const Document& d, std::string_view title) const {
  ctemplate::TemplateDictionary dict("page");
  dict.SetValue("TITLE", Ts(title));
  dict.SetIntValue("ROWS", static_cast<long>(d.size()));
  for (const Record& r : d) {
    ctemplate::TemplateDictionary* row = dict.AddSectionDictionary("RECORD");
    row->SetIntValue("ID", static_cast<long>(r.id));
    row->SetValue("NAME", Ts(r.name));
    row->SetValue("EMAIL", Ts(r.email));
    row->SetValue("CITY", Ts(r.city));
    row->SetFormattedValue("SCORE", "%.2f", r.score);
    row->SetIntValue("ITEMS", static_cast<long>(r.items.size()));
    if (r.active) row->ShowSection("ACTIVE");
    for (const std::string& t : r.tags)
      row->AddSectionDictionary("TAG")->SetValue("TAG_NAME", Ts(t));
  }
  std::string out;
  if (!impl_->cache.ExpandNoLoad(kKey, kStrip, &dict, nullptr, &out))
    throw std::runtime_error("ctemplate: expanding the page failed");
  return out;
}

std::size_t CountRecordRows(std::string_view html) {
  constexpr std::string_view kRow = "<tr class=\"record";
  std::size_t n = 0;
  for (std::size_t at = html.find(kRow); at != std::string_view::npos;
       at = html.find(kRow, at + kRow.size()))
    ++n;
  return n;
}

}  // namespace ocibench::apps
