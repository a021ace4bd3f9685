// pose::ops: what layers call. Each op checks its arguments once (same device as the context,
// dtypes, element counts), then runs the CPU or CUDA implementation chosen by the context's
// device. Layers never branch on the backend themselves. Semantics: kernels/op_signatures.h.
#pragma once

#include "kernels/op_signatures.h"

namespace pose::ops {
POSE_ELEMENTWISE_OP_SIGNATURES
}  // namespace pose::ops
