// PCRE2 pattern set and the planted-match corpus (regex_scan.h).
#include "workloads/apps/regex_scan.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>

#include "workloads/apps/document.h"

namespace ocibench::apps {

Corpus MakeCorpus(std::size_t lines, std::uint64_t seed) {
  Rng r(seed);
  Corpus c;
  c.text.reserve(lines * 80);
  for (std::size_t i = 0; i < lines; i++) {
    const std::size_t words = 6 + r.Below(8);
    for (std::size_t w = 0; w < words; w++) {
      if (w) c.text += ' ';
      switch (r.Below(24)) {  // one word in 24 is planted, one kind in four
        case 0:
          c.text += r.Word() + "@" + r.Word() + ".com";
          c.emails++;
          break;
        case 1:
          c.text += std::to_string(2000 + r.Below(30)) + "-" + std::to_string(10 + r.Below(3)) +
                    "-" + std::to_string(10 + r.Below(19));
          c.dates++;
          break;
        case 2:
          c.text += "https://" + r.Word() + ".example/" + r.Word();
          c.urls++;
          break;
        case 3:
          c.text += r.Below(2) ? "ERROR" : "WARN";
          c.levels++;
          break;
        default:
          c.text += r.Word();
      }
    }
    c.text += '\n';
  }
  return c;
}

const std::vector<std::string>& Patterns() {
  static const std::vector<std::string> p = {
      R"([a-z0-9._%+-]+@[a-z0-9.-]+\.(?:com|org|net)\b)",
      R"(\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b)",
      R"(https?://[^\s/]+(?:/[^\s]*)?)",
      R"(\b(?:ERROR|WARN)\b)",
      R"(\b(\w+) \1\b)",
  };
  return p;
}

struct RegexSet::Impl {
  std::vector<pcre2_code*> codes;
  pcre2_match_data* md = nullptr;
  ~Impl() {
    for (auto* c : codes) pcre2_code_free(c);
    pcre2_match_data_free(md);
  }
};

RegexSet::RegexSet(bool jit) : impl_(std::make_unique<Impl>()) {
  for (const auto& p : Patterns()) {
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code* c =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.data()), p.size(), 0, &err, &off, nullptr);
    if (!c) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof msg);
      throw std::runtime_error("pcre2_compile " + p + " at " + std::to_string(off) + ": " +
                               reinterpret_cast<const char*>(msg));
    }
    impl_->codes.push_back(c);
    if (jit) {
      const int rc = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
      if (rc != 0) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        throw std::runtime_error("pcre2_jit_compile " + p + ": " +
                                 reinterpret_cast<const char*>(msg));
      }
    }
  }
  impl_->md = pcre2_match_data_create(8, nullptr);
  if (!impl_->md) throw std::runtime_error("pcre2_match_data_create: out of memory");
}

RegexSet::~RegexSet() = default;

std::vector<std::size_t> RegexSet::CountAll(const std::string& text) const {
  std::vector<std::size_t> counts;
  const auto* s = reinterpret_cast<PCRE2_SPTR>(text.data());
  for (pcre2_code* c : impl_->codes) {
    std::size_t n = 0;
    PCRE2_SIZE start = 0;
    while (start <= text.size()) {
      const int rc = pcre2_match(c, s, text.size(), start, 0, impl_->md, nullptr);
      if (rc == PCRE2_ERROR_NOMATCH) break;
      if (rc < 0) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        throw std::runtime_error(std::string("pcre2_match: ") + reinterpret_cast<const char*>(msg));
      }
      const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(impl_->md);
      n++;
      start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;  // an empty match moves on by one
    }
    counts.push_back(n);
  }
  return counts;
}

}  // namespace ocibench::apps
