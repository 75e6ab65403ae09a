// Apps_xml_*: pyperformance's xml_etree generate, parse (+19.8% under Kata in the study) and
// iterparse (+14.6%) on the record document: pugixml builds and parses the tree, expat gives
// the events.
#include "benchmarks/apps_common.h"
#include "benchmarks/registry.h"
#include "workloads/apps/xml_events.h"
#include "workloads/apps/xml_tree.h"

namespace ocibench::bench::apps {
namespace {

namespace wa = ocibench::apps;

const std::string& SharedXml() {
  static const std::string x = wa::GenerateXml(SharedDocument());
  return x;
}

void Generate(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string x = wa::GenerateXml(SharedDocument());
    bytes += x.size();
    benchmark::DoNotOptimize(x.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(SharedDocument().size() * state.iterations()));
}

// Parse (tree or events) and check the counts against the document on every pass.
template <class ParseFn>
void Parse(benchmark::State& state, ParseFn parse) {
  const std::string& x = SharedXml();
  const std::size_t want_items = wa::ItemCount(SharedDocument());
  std::size_t elements = 0;
  for (auto _ : state) {
    const wa::XmlCounts c = parse(x);
    if (c.items != want_items) return (void)Expect(state, "items", c.items, want_items);
    elements = c.elements;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(x.size() * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(elements * state.iterations()));
  state.counters["elements"] = static_cast<double>(elements);
}

void Register() {
  AddApp("xml_generate", Generate);
  AddApp("xml_parse", [](benchmark::State& s) { Parse(s, wa::ParseXmlTree); });
  AddApp("xml_iterparse", [](benchmark::State& s) {
    Parse(s, [](const std::string& x) { return wa::ParseXmlEvents(x); });
  });
}

}  // namespace

OCIBENCH_MODULE(apps_xml, nullptr, Register);

}  // namespace ocibench::bench::apps
