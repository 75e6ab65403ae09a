// Apps_serialize_*: JSON dumps/loads (RapidJSON) and the pickle-like binary case (msgpack-cxx)
// of the record document; pyperformance's json_dumps, json_loads, pickle and unpickle.
#include "benchmarks/apps_common.h"
#include "benchmarks/registry.h"
#include "workloads/apps/json_codec.h"
#include "workloads/apps/msgpack_codec.h"

namespace ocibench::bench::apps {
namespace {

namespace wa = ocibench::apps;

// Encode: bytes/s of output, items/s of records.
template <class Encode>
void Dumps(benchmark::State& state, Encode encode) {
  const wa::Document& d = SharedDocument();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string out = encode(d);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(d.size() * state.iterations()));
}

// Decode: bytes/s of input; the decoded record count is checked on every pass.
template <class Encode, class Decode>
void Loads(benchmark::State& state, Encode encode, Decode decode) {
  const wa::Document& d = SharedDocument();
  const std::string text = encode(d);
  if (decode(text) != d) return state.SkipWithError("decoded document differs from the input");
  for (auto _ : state) {
    wa::Document back = decode(text);
    if (back.size() != d.size()) return (void)Expect(state, "records", back.size(), d.size());
    benchmark::DoNotOptimize(back.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size() * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(d.size() * state.iterations()));
  state.counters["doc_bytes"] = static_cast<double>(text.size());
}

void Register() {
  AddApp("serialize_json_dumps", [](benchmark::State& s) { Dumps(s, wa::EncodeJson); });
  AddApp("serialize_json_loads",
         [](benchmark::State& s) { Loads(s, wa::EncodeJson, wa::DecodeJson); });
  AddApp("serialize_msgpack_pack", [](benchmark::State& s) { Dumps(s, wa::EncodeMsgpack); });
  AddApp("serialize_msgpack_unpack",
         [](benchmark::State& s) { Loads(s, wa::EncodeMsgpack, wa::DecodeMsgpack); });
}

}  // namespace

OCIBENCH_MODULE(apps_serialize, nullptr, Register);

}  // namespace ocibench::bench::apps
