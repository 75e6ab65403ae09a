// The apps workloads' deterministic input: a document of customer records (the serialize, XML
// and SQL workloads), a text corpus with planted matches (regex), all from one seeded generator
// so every architecture and runtime gets byte-identical input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ocibench::apps {

// splitmix64: tiny, seeded, and the same sequence everywhere (std::mt19937's distributions
// are not specified bit for bit across standard libraries).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next();
  // Uniform in [0, n), n > 0.
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  // A lowercase word of 3..10 letters.
  std::string Word();

 private:
  std::uint64_t s_;
};

struct Item {
  std::string sku;
  std::int64_t qty = 0;
  double price = 0;  // whole cents / 100, so every format round-trips it exactly
  bool operator==(const Item&) const = default;
};

struct Record {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::string city;
  bool active = false;
  double score = 0;
  std::vector<std::string> tags;
  std::vector<Item> items;
  bool operator==(const Record&) const = default;
};

using Document = std::vector<Record>;

// The cities records are drawn from (the SQL workload's indexed column).
const std::vector<std::string>& Cities();

// `n` records from `seed`: 1..4 tags, 1..6 items each (~250 bytes of JSON a record).
Document MakeDocument(std::size_t n, std::uint64_t seed = 42);

// Items in a document (sum of the records' item counts) and the sum of their qty.
std::size_t ItemCount(const Document& d);
std::int64_t QtySum(const Document& d);

}  // namespace ocibench::apps
