// Where tests find the repository, their data and the MPI launcher. Compiled-in defaults point
// at the source tree of the build; the environment variables of the same names override them,
// so packed test binaries also run from a copy of the tree on another machine (the GPU host).
#pragma once

#include <cstdlib>
#include <string>

namespace pose::test {

inline std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

inline std::string source_dir() { return env_or("POSE_SOURCE_DIR", POSE_SOURCE_DIR); }
inline std::string test_data_dir() { return env_or("POSE_TEST_DATA_DIR", POSE_TEST_DATA_DIR); }
inline std::string mpi_launch() { return env_or("POSE_MPI_LAUNCH", POSE_MPI_LAUNCH); }
// Folder of the built programs (apps and probes); POSE_BIN_DIR overrides.
inline std::string bin_dir() { return env_or("POSE_BIN_DIR", POSE_BIN_DIR); }
// Path of a built program, e.g. bin("pose_train").
inline std::string bin(const std::string& program) { return bin_dir() + "/" + program; }

}  // namespace pose::test
