// Splits one CSV line into fields (RFC 4180 quoting: "a,b" and "" for a quote; a trailing \r
// is dropped). The contract's CSVs have no quoting; the reference tables do.
#pragma once

#include <string>
#include <vector>

namespace ocibench::report {

std::vector<std::string> SplitCsvLine(const std::string& line);

}  // namespace ocibench::report
