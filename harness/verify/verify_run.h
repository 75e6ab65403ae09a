// `ocibench profile --verify`: the profiled command run natively and in each runtime of the
// costs, in ABBA rounds, its measured slowdown printed beside the predicted one with a verdict.
#pragma once

#include "harness/profile/verify_seam.h"

namespace ocibench::verify {

// The registered profile::Verifier. Exit code: 0 when every runtime ran, 1 when one failed (the
// others are still reported) or native failed, 130 after Ctrl-C/SIGTERM.
int Verify(const profile::VerifyRequest& request);

}  // namespace ocibench::verify
