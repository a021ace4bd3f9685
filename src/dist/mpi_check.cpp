#include "dist/mpi_check.h"

#include <mpi.h>

#include "core/error.h"

namespace pose {

void check_mpi(int code, const char* call, const char* file, int line) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {0};
  int length = 0;
  int error_class = code;
  MPI_Error_class(code, &error_class);
  MPI_Error_string(code, text, &length);
  throw Error(cat(source_location(file, line), ": MPI call failed: ", call, ": error class ",
                  error_class, " (", text, ")"));
}

}  // namespace pose
