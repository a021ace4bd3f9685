// Checked HDF5 calls. HDF5 reports failure as a negative return value and keeps the details
// on its error stack; POSE_H5_CHECK turns that into a pose::Error with file:line, the call and
// the stack's messages (innermost first), and stops HDF5 from printing the stack itself.
#pragma once

#include <hdf5.h>

#include <string>

namespace pose {

// Silences HDF5's automatic error printing for this process (done once, idempotent), so our
// messages are the only ones.
void quiet_hdf5_errors();

// The current HDF5 error stack as one line: "H5Fopen: unable to open file: ...".
std::string hdf5_error_stack();

// Returns `result` when it is >= 0, else throws.
long long check_hdf5(long long result, const char* call, const char* file, int line);

}  // namespace pose

#define POSE_H5_CHECK(call) ::pose::check_hdf5(static_cast<long long>(call), #call, __FILE__, __LINE__)
