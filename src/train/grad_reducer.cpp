#include "train/grad_reducer.h"

#include "core/error.h"
#include "dist/bounded_wait.h"
#include "dist/mpi_check.h"
#include "train/nccl_comm.h"

namespace pose {
namespace {

constexpr std::size_t kBucketBytes = 25u << 20;

}  // namespace

GradientReducer::GradientReducer(Runtime& runtime, const DeviceContext& ctx, const std::string& comm,
                                 std::size_t numel, int timeout_seconds, bool single_rank)
    : runtime_(runtime),
      ctx_(ctx),
      method_(comm),
      active_(runtime.size() > 1 || single_rank),
      timeout_(timeout_seconds) {
  if (!active_) {
    method_ = "none (one rank)";
    return;
  }
  if (comm == "nccl") {
    if (ctx.device() != Device::CUDA)
      throw UserError("run.comm = nccl needs run.device = cuda; the CPU backend uses run.comm = mpi");
    nccl_ = std::make_unique<NcclComm>(runtime, ctx, std::chrono::seconds(timeout_seconds));
  } else if (ctx.device() == Device::CUDA) {
    staging_ = Buffer(numel * sizeof(float), MemoryKind::Pinned);
  }
}

GradientReducer::~GradientReducer() = default;

void GradientReducer::all_reduce_sum(const TensorView& grads) {
  start(grads);
  finish();
}

void GradientReducer::start(const TensorView& grads) {
  POSE_CHECK(grads.dtype == DType::F32, "gradient all-reduce: gradients must be f32, got ", grads.str());
  grads_ = grads;
  if (nccl_) nccl_->begin(grads.as<float>(), static_cast<std::size_t>(grads.numel()), kBucketBytes / sizeof(float));
}

void GradientReducer::ready_from(std::size_t offset) {
  if (nccl_) nccl_->ready_from(offset);
}

void GradientReducer::finish() {
  if (!active_) return;
  if (nccl_) {
    nccl_->end();
    return;
  }
  const std::size_t n = static_cast<std::size_t>(grads_.numel());
  float* host = grads_.as<float>();
  if (ctx_.device() == Device::CUDA) {
    POSE_CHECK(staging_.bytes() >= n * sizeof(float), "gradient all-reduce: staging buffer too small");
    copy_bytes_async(staging_.data(), grads_.data, n * sizeof(float), ctx_.stream());
    ctx_.synchronize();
    host = static_cast<float*>(staging_.data());
  }
  bounded_allreduce(runtime_, host, static_cast<int>(n), MPI_FLOAT, MPI_SUM, timeout_, "a gradient all-reduce (MPI)");
  if (ctx_.device() == Device::CUDA) copy_bytes_async(grads_.data, staging_.data(), n * sizeof(float), ctx_.stream());
}

}  // namespace pose
