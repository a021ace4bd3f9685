#include "dist/gather.h"

#include "dist/mpi_check.h"

namespace pose {

std::vector<std::string> gather_strings(MPI_Comm comm, const std::string& text, int root) {
  int rank = 0, size = 1;
  POSE_MPI_CHECK(MPI_Comm_rank(comm, &rank));
  POSE_MPI_CHECK(MPI_Comm_size(comm, &size));
  const int length = static_cast<int>(text.size());
  std::vector<int> lengths(static_cast<std::size_t>(size));
  POSE_MPI_CHECK(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, comm));
  std::vector<int> offsets(lengths.size(), 0);
  for (std::size_t r = 1; r < lengths.size(); ++r) offsets[r] = offsets[r - 1] + lengths[r - 1];
  const bool is_root = rank == root;
  std::string all(is_root ? static_cast<std::size_t>(offsets.back() + lengths.back()) : 0, '\0');
  POSE_MPI_CHECK(MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(),
                             offsets.data(), MPI_CHAR, root, comm));
  std::vector<std::string> texts;
  if (is_root)
    for (std::size_t r = 0; r < lengths.size(); ++r)
      texts.push_back(all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
  return texts;
}

}  // namespace pose
