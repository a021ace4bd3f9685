// A reusable pool of CUDA timing events for op_timer: record() takes the next event of the pool
// (creating one the first time it is needed) and records it on a stream; reset() makes every
// event available again without destroying it, so steady-state timing creates none.
#pragma once

#include <cstddef>
#include <vector>

#include "core/device_context.h"

namespace pose::cuda_timing {

class EventPool {
 public:
  EventPool() = default;
  EventPool(const EventPool&) = delete;
  EventPool& operator=(const EventPool&) = delete;
  ~EventPool();

  std::size_t record(StreamHandle stream);  // index of the recorded event
  float elapsed_ms(std::size_t begin, std::size_t end) const;  // both recorded and complete
  void reset() { used_ = 0; }

 private:
  std::vector<CUevent_st*> events_;
  std::size_t used_ = 0;
};

}  // namespace pose::cuda_timing
