#include "harness/footprint/ldd_closure.h"

#include <set>
#include <sstream>

#include "harness/footprint/dpkg_db.h"
#include "harness/process/command.h"

namespace ocibench::footprint {

namespace fs = std::filesystem;

std::uint64_t LddClosure::Bytes() const {
  std::set<fs::path> seen;
  std::uint64_t n = 0;
  for (const auto& o : objects) {
    if (seen.insert(o.real.empty() ? o.path : o.real).second) n += o.bytes;
  }
  return n;
}

LddClosure ParseLdd(const std::string& out) {
  LddClosure c;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string first, arrow, target;
    f >> first;
    if (first.empty()) continue;
    if (line.find("not a dynamic executable") != std::string::npos ||
        line.find("statically linked") != std::string::npos) {
      c.is_static = true;
      continue;
    }
    f >> arrow;
    SharedObject o;
    o.soname = first;
    if (arrow == "=>") {
      f >> target;
      if (target == "not") {
        c.not_found.push_back(first);
        continue;
      }
      if (target.empty() || target[0] != '/') continue;  // "=> (0x…)": vDSO-like, no file
      o.path = target;
    } else if (first[0] == '/') {
      o.path = first;  // the loader: "/lib64/ld-linux-x86-64.so.2 (0x…)"
    } else {
      continue;  // linux-vdso.so.1 (0x…): in the kernel, no file
    }
    c.objects.push_back(std::move(o));
  }
  return c;
}

LddClosure Ldd(const fs::path& binary) {
  const process::CommandResult r =
      process::RunCommand({"ldd", binary.string()}, process::WithTimeout(std::chrono::seconds(30)));
  if (!r.started) {
    LddClosure c;
    c.error = "ldd not found (install libc-bin)";
    return c;
  }
  LddClosure c = ParseLdd(r.out + "\n" + r.err);
  if (!r.ok() && !c.is_static && c.objects.empty()) {
    c.error = "ldd " + binary.string() + ": " + r.LastLine();
  }
  for (auto& o : c.objects) {
    std::error_code ec;
    o.real = fs::canonical(o.path, ec);
    if (ec) o.real = o.path;
    o.bytes = fs::file_size(o.real, ec);
    if (ec) o.bytes = 0;
    o.package = OwningPackage(o.path);
  }
  return c;
}

}  // namespace ocibench::footprint
