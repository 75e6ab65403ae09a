// The deterministic generator and the record document (document.h).
#include "workloads/apps/document.h"

namespace ocibench::apps {

std::uint64_t Rng::Next() {
  std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string Rng::Word() {
  std::string w(3 + Below(8), 'a');
  for (auto& c : w) c = static_cast<char>('a' + Below(26));
  return w;
}

const std::vector<std::string>& Cities() {
  static const std::vector<std::string> c = {"Helsinki", "Tampere",  "Turku", "Oulu",
                                             "Skovde",   "Goteborg", "Malmo", "Uppsala",
                                             "Bergen",   "Aarhus",   "Tartu", "Riga"};
  return c;
}

Document MakeDocument(std::size_t n, std::uint64_t seed) {
  Rng r(seed);
  Document d(n);
  for (std::size_t i = 0; i < n; i++) {
    Record& x = d[i];
    x.id = static_cast<std::int64_t>(i + 1);
    x.name = r.Word() + " " + r.Word();
    x.email = r.Word() + "." + r.Word() + "@example.org";
    x.city = Cities()[r.Below(Cities().size())];
    x.active = r.Below(2) == 1;
    x.score = static_cast<double>(r.Below(1000000)) / 100.0;
    x.tags.resize(1 + r.Below(4));
    for (auto& t : x.tags) t = r.Word();
    x.items.resize(1 + r.Below(6));
    for (auto& it : x.items) {
      it.sku = "SKU-" + std::to_string(10000 + r.Below(90000));
      it.qty = static_cast<std::int64_t>(1 + r.Below(20));
      it.price = static_cast<double>(99 + r.Below(100000)) / 100.0;
    }
  }
  return d;
}

std::size_t ItemCount(const Document& d) {
  std::size_t n = 0;
  for (const auto& r : d) n += r.items.size();
  return n;
}

std::int64_t QtySum(const Document& d) {
  std::int64_t s = 0;
  for (const auto& r : d)
    for (const auto& it : r.items) s += it.qty;
  return s;
}

}  // namespace ocibench::apps
