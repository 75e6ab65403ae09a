// Registers --verify with `ocibench profile` (profile/verify_seam.h); an object file, so the
// static initializer is always linked into the binary.
#include "harness/verify/verify_run.h"

namespace {
[[maybe_unused]] const bool kRegistered =
    ocibench::profile::RegisterVerifier(ocibench::verify::Verify);
}
