// The placement table applied to one cell: which launcher runs the server and which the
// client (the runtime's, or the native one), on which network, which of the two is the main
// workload (memory and lifecycle rows), and the wait until the server answers. The same code
// for every runtime kind.
#pragma once

#include "harness/run/cell.h"
#include "harness/run/launcher.h"

namespace ocibench::run {

// runtime: the launcher of the cell's runtime; native: the native launcher (the same object
// for a native cell). Records everything in cell.recorder; never throws for a runtime's failure.
void RunPlacement(CellRun& cell, Launcher& runtime, Launcher& native);

// Waits until `server` answers: "" when it does, else why not (a stop request, the server gone,
// or `seconds` passed).
std::string AwaitServer(const CellRun& cell, RunningServer& server, int seconds);

}  // namespace ocibench::run
