// Collective gathers of variable-length data onto one rank.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

namespace pose {

// Every rank's `text`, indexed by rank, on `root`; an empty vector on the other ranks.
std::vector<std::string> gather_strings(MPI_Comm comm, const std::string& text, int root = 0);

}  // namespace pose
