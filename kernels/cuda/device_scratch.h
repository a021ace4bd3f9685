// Scratch device memory for the CUDA ops (cuDNN workspaces, partial sums of reductions, pooling
// argmax): one buffer per GPU, grown on demand, never shrunk.
//
// Stream-ordered: growth frees the old buffer with cudaFreeAsync and allocates the new one with
// cudaMallocAsync on the asking context's stream, so it never waits for the GPU, and work queued
// earlier on that stream still sees its old buffer. An op asks once per call and uses the
// memory only for work it queues in that call; the next op's ask may move or reuse it.
//
// Assumes one host thread issues the ops of a GPU (one DeviceContext per device per rank,
// DESIGN.md). A different stream asking than last time (a new context, e.g. in tests) waits for
// the device once, because the previous stream may already be destroyed.
#pragma once

#include <cstddef>

#include "core/device_context.h"

namespace pose::cuda_ops {

// At least `bytes` of device memory on ctx's GPU, valid for work queued on ctx.stream() until the
// next call; nullptr when bytes is 0.
void* device_scratch(const DeviceContext& ctx, std::size_t bytes);

}  // namespace pose::cuda_ops
