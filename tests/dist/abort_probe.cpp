// A 2-rank program that fails in a chosen way, for test_abort_path. Usage: abort_probe MODE
//   abort_one       rank 1 calls abort_all while rank 0 waits in a barrier
//   throw_one       rank 1 throws an internal error inside run_main while rank 0 waits
//   user_error_all  rank 1 reports a problem through the collective stop; all exit with 2
//   ok              nothing fails
// Without a working abort path the first two would hang forever in the barrier.
#include <mpi.h>

#include <string>

#include "core/error.h"
#include "dist/runtime.h"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  return pose::run_main(argc, argv, [&](pose::Runtime& rt) {
    if (mode == "abort_one") {
      if (rt.rank() == 1) rt.abort_all("probe: rank 1 gave up", 5);
      MPI_Barrier(rt.world());
    } else if (mode == "throw_one") {
      if (rt.rank() == 1) throw pose::Error("probe: internal failure on rank 1");
      MPI_Barrier(rt.world());
    } else if (mode == "user_error_all") {
      rt.stop_if_any_failed(rt.rank() == 1 ? "probe: bad input seen by rank 1" : "");
    } else if (mode != "ok") {
      throw pose::UserError("abort_probe: unknown mode '" + mode + "'");
    }
    return 0;
  });
}
