// The training sampler under 2 real MPI ranks: each rank computes only its own batches; rank 0
// gathers them and checks that together they cover every record, with the same step count on
// both ranks and no record on two ranks within a step.
#include <gtest/gtest.h>

#include <mpi.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "data/sampler.h"
#include "dist/gather.h"
#include "../common/mpi_test.h"
#include "dist/runtime.h"

namespace pose {
namespace {

TEST(SamplerMpi, TwoRanksCoverAnEpochDisjointly) {
  const std::size_t n = 997;
  const int batch = 8;
  const TrainSampler sampler(n, batch, test::mpi_runtime().rank(), test::mpi_runtime().size(), true, 42);
  const auto order = sampler.epoch_order(5);
  std::string mine;  // this rank's record indices, one per line, "step index"
  for (std::int64_t s = 0; s < sampler.steps_per_epoch(); ++s)
    for (std::size_t i : sampler.batch(order, s)) mine += std::to_string(s) + " " + std::to_string(i) + "\n";
  const auto all = gather_strings(test::mpi_runtime().world(), mine);
  if (!test::mpi_runtime().is_root()) return;

  ASSERT_EQ(all.size(), 2u);
  std::map<std::size_t, int> count;
  std::vector<std::map<long, std::set<std::size_t>>> by_step(2);
  for (int r = 0; r < 2; ++r) {
    std::istringstream in(all[static_cast<std::size_t>(r)]);
    long step;
    std::size_t index;
    int lines = 0;
    while (in >> step >> index) {
      ++count[index];
      by_step[static_cast<std::size_t>(r)][step].insert(index);
      ++lines;
    }
    EXPECT_EQ(lines, batch * sampler.steps_per_epoch()) << "rank " << r;
  }
  EXPECT_EQ(count.size(), n) << "every record is on some rank";
  for (long step = 0; step < sampler.steps_per_epoch(); ++step)
    for (std::size_t i : by_step[0][step])
      EXPECT_EQ(by_step[1][step].count(i), 0u) << "record " << i << " on both ranks in step " << step;
}

}  // namespace
}  // namespace pose
