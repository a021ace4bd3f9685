// Float64 summation in the order numpy uses for np.sum / np.mean of a contiguous array, so
// that OKS values and summary means come out as the same doubles as in pycocotools and the
// reference's NMS (a plain left-to-right sum can differ in the last bits, and an OKS that
// lands exactly on a threshold then decides differently).
#pragma once

#include <cstddef>

namespace pose {

// numpy's pairwise summation: fewer than 8 values are added left to right; up to 128 go into
// 8 interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the tail;
// longer runs are split in two at a multiple of 8 and each half summed the same way.
double numpy_sum(const double* values, std::size_t count);

}  // namespace pose
