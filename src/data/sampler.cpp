#include "data/sampler.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "core/error.h"
#include "data/rng.h"

namespace pose {
namespace {
constexpr std::uint64_t kShuffleStream = 0x5348'5546'464c'45ull;  // "SHUFFLE": an RNG stream id
}

TrainSampler::TrainSampler(std::size_t num_records, int batch_per_rank, int rank,
                           int world_size, bool shuffle, std::uint64_t seed)
    : num_records_(num_records),
      batch_per_rank_(batch_per_rank),
      rank_(rank),
      world_size_(world_size),
      shuffle_(shuffle),
      seed_(seed) {
  POSE_CHECK(batch_per_rank > 0 && world_size > 0 && rank >= 0 && rank < world_size,
             "sampler: batch ", batch_per_rank, ", rank ", rank, " of ", world_size);
  if (num_records == 0) throw UserError("the training set has no records");
  const auto g = static_cast<std::size_t>(global_batch());
  steps_per_epoch_ = static_cast<std::int64_t>((num_records + g - 1) / g);
}

std::vector<std::size_t> TrainSampler::epoch_order(std::int64_t epoch) const {
  std::vector<std::size_t> order(num_records_);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (shuffle_) {
    Rng rng(seed_, kShuffleStream, static_cast<std::uint64_t>(epoch));
    for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  }
  const std::size_t padded = static_cast<std::size_t>(steps_per_epoch_) * global_batch();
  for (std::size_t i = num_records_; i < padded; ++i) order.push_back(order[i - num_records_]);
  return order;
}

std::vector<std::size_t> TrainSampler::batch(const std::vector<std::size_t>& order,
                                             std::int64_t step) const {
  POSE_CHECK(step >= 0 && step < steps_per_epoch_, "step ", step, " of ", steps_per_epoch_);
  const std::size_t begin = static_cast<std::size_t>(step) * global_batch() +
                            static_cast<std::size_t>(rank_) * batch_per_rank_;
  return {order.begin() + static_cast<std::ptrdiff_t>(begin),
          order.begin() + static_cast<std::ptrdiff_t>(begin + batch_per_rank_)};
}

IndexRange eval_range(std::size_t num_records, int rank, int world_size) {
  const std::size_t n = static_cast<std::size_t>(world_size);
  const std::size_t r = static_cast<std::size_t>(rank);
  const std::size_t base = num_records / n, extra = num_records % n;
  const std::size_t begin = r * base + std::min(r, extra);
  return {begin, begin + base + (r < extra ? 1 : 0)};
}

}  // namespace pose
