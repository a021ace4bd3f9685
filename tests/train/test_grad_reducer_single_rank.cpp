// GradientReducer at one rank, on the CPU with MPI, or (built as test_gpu_nccl_single_rank,
// POSE_TEST_ON_GPU) on a GPU with NCCL: by default nothing is summed; with run.comm_single_rank
// the configured path really runs (NCCL communicator, bucketed sums on its own stream, the
// watchdog), and a sum over one rank leaves every gradient as it was.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "../common/mpi_test.h"
#include "../common/test_device.h"
#include "kernels/host_transfer.h"
#include "train/grad_reducer.h"

namespace pose {
namespace {

#if POSE_TEST_ON_GPU
constexpr const char* kComm = "nccl";
#else
constexpr const char* kComm = "mpi";
#endif

// More than one 25 MB bucket, so the overlapped path queues several sums.
constexpr std::size_t kNumel = 9u << 20;

std::vector<float> pattern() {
  std::vector<float> v(kNumel);
  for (std::size_t i = 0; i < kNumel; ++i) v[i] = static_cast<float>(i % 1000) * 0.25f - 100.f;
  return v;
}

TEST(GradientReducerOneRank, SumsNothingByDefault) {
  Runtime& runtime = test::mpi_runtime();
  ASSERT_EQ(runtime.size(), 1);
  std::optional<DeviceContext> ctx = test::device_under_test();
  if (!ctx) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
  GradientReducer reducer(runtime, *ctx, kComm, kNumel);
  EXPECT_EQ(reducer.method(), "none (one rank)");
}

TEST(GradientReducerOneRank, RunsTheConfiguredPathWhenAsked) {
  Runtime& runtime = test::mpi_runtime();
  ASSERT_EQ(runtime.size(), 1);
  std::optional<DeviceContext> ctx = test::device_under_test();
  if (!ctx) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
  GradientReducer reducer(runtime, *ctx, kComm, kNumel, /*timeout_seconds=*/60, /*single_rank=*/true);
  EXPECT_EQ(reducer.method(), kComm);

  const std::vector<float> values = pattern();
  Tensor grads = Tensor::empty({static_cast<std::int64_t>(kNumel)}, DType::F32, ctx->device());
  from_host_floats(*ctx, grads.view(), values);
  for (int step = 0; step < 3; ++step) {  // the overlapped protocol, as backward drives it
    reducer.start(grads.view());
    reducer.ready_from(kNumel / 2);
    reducer.ready_from(0);
    reducer.finish();
  }
  reducer.all_reduce_sum(grads.view());
  EXPECT_EQ(to_host_floats(*ctx, grads.view()), values);
}

}  // namespace
}  // namespace pose
