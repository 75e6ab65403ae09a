// The regex workload: PCRE2 (libpcre2-8) over a generated log-like text corpus with planted
// matches, in the spirit of pyperformance's regex_effbot/regex_v8 (many patterns over text)
// and regex_compile. PCRE2, not RE2: it is a backtracking engine with Perl syntax like
// Python's re, and its JIT is what a fast application would use; RE2 is a different kind of
// engine (automata, no backreferences).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ocibench::apps {

// A corpus of `lines` lines of lowercase words, into which the generator plants e-mail
// addresses, ISO dates, URLs and "ERROR"/"WARN" levels, counting each.
struct Corpus {
  std::string text;
  std::size_t emails = 0, dates = 0, urls = 0, levels = 0;
};
Corpus MakeCorpus(std::size_t lines, std::uint64_t seed = 7);

// The pattern set, in the order of the counts below: e-mail, date, URL, level, and a
// backtracking-heavy one (a word repeated, a backreference) with no fixed count.
const std::vector<std::string>& Patterns();

class RegexSet {
 public:
  // Compiles Patterns(); `jit` also JIT-compiles them. Throws std::runtime_error naming the
  // pattern and PCRE2's message.
  explicit RegexSet(bool jit);
  ~RegexSet();
  RegexSet(const RegexSet&) = delete;
  RegexSet& operator=(const RegexSet&) = delete;
  // Non-overlapping matches of each pattern over `text`.
  std::vector<std::size_t> CountAll(const std::string& text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ocibench::apps
