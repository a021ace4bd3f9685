// op_timer: where a training step's time goes, op class by op class. Off by default; when on,
// every checked op (kernels/ops.cpp, layer_ops.cpp, train_ops.cpp) and every caller-named span
// (a whole weight refresh, say) is timed: with CUDA events on the op's stream on a GPU, so
// timing neither synchronises nor reorders work, and with the steady clock on the CPU, where
// ops run synchronously. Spans nest; only the outermost one is counted, so a span named by a
// caller holds the ops it calls. Not thread-safe: time one stream of one thread.
//
//   op_timer::enable(true);
//   ... steps ...
//   for (const op_timer::Row& row : op_timer::collect(ctx)) ...   // waits for the GPU
#pragma once

#include <string>
#include <vector>

#include "core/device_context.h"

namespace pose::op_timer {

void enable(bool on);
bool enabled();

class Scope {
 public:
  // `label` is copied only when timing is on; spans with equal labels add up.
  Scope(const DeviceContext& ctx, const std::string& label);
  Scope(const DeviceContext& ctx, const char* label);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  bool open_ = false;                   // timing was on: this span counts in the nesting depth
  const DeviceContext* ctx_ = nullptr;  // null: not counted (timing off, or nested)
  std::size_t record_ = 0;
};

struct Row {
  std::string label;
  long calls = 0;
  double ms = 0;
};

// Waits for the timed work on ctx, returns the totals per label since the last collect() in
// order of first appearance, and starts afresh.
std::vector<Row> collect(const DeviceContext& ctx);

}  // namespace pose::op_timer
