// Apps_template_render: an HTML page of the record document through ctemplate (a row per
// record, a nested loop of tags, every field escaped); pyperformance's django_template,
// genshi_text/xml and mako (the study's "Template" category).
#include "benchmarks/apps_common.h"
#include "benchmarks/registry.h"
#include "workloads/apps/text_template.h"

namespace ocibench::bench::apps {
namespace {

namespace wa = ocibench::apps;

// One pass: dictionary of every record filled and the compiled page expanded; the row count
// checked on every pass.
void Render(benchmark::State& state) {
  const wa::Document& d = SharedDocument();
  const wa::PageTemplate page;
  std::size_t bytes = 0, last = 0;
  for (auto _ : state) {
    const std::string html = page.Render(d, "Customers & orders");
    if (const std::size_t rows = wa::CountRecordRows(html); rows != d.size())
      return (void)Expect(state, "rows", rows, d.size());
    bytes += html.size();
    last = html.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(d.size() * state.iterations()));
  state.counters["rows"] = static_cast<double>(d.size());
  state.counters["doc_bytes"] = static_cast<double>(last);
}

void Register() { AddApp("template_render", Render); }

}  // namespace

OCIBENCH_MODULE(apps_template, nullptr, Register);

}  // namespace ocibench::bench::apps
