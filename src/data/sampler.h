// Which records each rank trains on, step by step.
//
// An epoch's order is a permutation of all records, shuffled by (seed, epoch). It is padded to
// a whole number of global batches (global batch = ranks x batch per rank) by repeating
// records from the start of the same order, so every rank takes the same number of steps and
// no record is dropped; at most global_batch - 1 records are seen twice in an epoch.
// Global step k covers positions [k * G, (k + 1) * G) of the padded order, and rank r takes
// the r-th block of batch_size positions in it. The samples of a global step therefore do not
// depend on how many ranks share it: 2 ranks x 16 see what 1 rank x 32 sees, which makes runs
// comparable across rank counts and lets a run resume on a different number of ranks.
//
// Everything is a pure function of (seed, epoch, step): resuming mid-epoch needs only the
// epoch and the step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pose {

class TrainSampler {
 public:
  TrainSampler(std::size_t num_records, int batch_per_rank, int rank, int world_size,
               bool shuffle, std::uint64_t seed);

  std::int64_t steps_per_epoch() const { return steps_per_epoch_; }
  int global_batch() const { return batch_per_rank_ * world_size_; }

  // The epoch's padded order of record indices (all ranks compute the same one).
  std::vector<std::size_t> epoch_order(std::int64_t epoch) const;

  // Record indices of this rank's batch at `step` of `epoch`, from an epoch_order() result.
  std::vector<std::size_t> batch(const std::vector<std::size_t>& order, std::int64_t step) const;

 private:
  std::size_t num_records_;
  int batch_per_rank_;
  int rank_;
  int world_size_;
  bool shuffle_;
  std::uint64_t seed_;
  std::int64_t steps_per_epoch_;
};

// Evaluation: contiguous, disjoint ranges covering every record exactly once (no padding);
// the first num_records % world_size ranks get one more. Returns [begin, end) for `rank`.
struct IndexRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};
IndexRange eval_range(std::size_t num_records, int rank, int world_size);

}  // namespace pose
