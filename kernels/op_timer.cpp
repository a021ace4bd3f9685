#include "kernels/op_timer.h"

#include <chrono>
#include <map>

#include "core/error.h"

#if POSE_WITH_CUDA
#include "kernels/cuda/timing_events.h"
#endif

namespace pose::op_timer {
namespace {

struct Record {
  std::string label;
  double cpu_ms = 0;           // CPU spans: measured at once
  std::size_t begin = 0, end = 0;  // GPU spans: indices into the event pool
  bool gpu = false;
};

struct State {
  bool on = false;
  int depth = 0;
  std::vector<Record> records;
  std::vector<std::chrono::steady_clock::time_point> cpu_starts;
#if POSE_WITH_CUDA
  cuda_timing::EventPool events;
#endif
};

State& state() {
  static State s;
  return s;
}

}  // namespace

void enable(bool on) { state().on = on; }
bool enabled() { return state().on; }

Scope::Scope(const DeviceContext& ctx, const char* label) : Scope(ctx, std::string(label)) {}

Scope::Scope(const DeviceContext& ctx, const std::string& label) {
  State& s = state();
  if (!s.on) return;
  open_ = true;
  if (s.depth++ > 0) return;
  ctx_ = &ctx;
  record_ = s.records.size();
  Record r;
  r.label = label;
#if POSE_WITH_CUDA
  if (ctx.device() == Device::CUDA) {
    r.gpu = true;
    r.begin = s.events.record(ctx.stream());
  }
#endif
  if (!r.gpu) s.cpu_starts.push_back(std::chrono::steady_clock::now());
  s.records.push_back(std::move(r));
}

Scope::~Scope() {
  State& s = state();
  if (!open_) return;
  --s.depth;
  if (!ctx_) return;
  Record& r = s.records[record_];
#if POSE_WITH_CUDA
  if (r.gpu) {
    r.end = s.events.record(ctx_->stream());
    return;
  }
#endif
  r.cpu_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                       s.cpu_starts.back()).count();
  s.cpu_starts.pop_back();
}

std::vector<Row> collect(const DeviceContext& ctx) {
  State& s = state();
  POSE_CHECK(s.depth == 0, "op_timer::collect inside a timed span");
  ctx.synchronize();
  std::vector<Row> rows;
  std::map<std::string, std::size_t> index;
  for (const Record& r : s.records) {
    auto [it, fresh] = index.emplace(r.label, rows.size());
    if (fresh) rows.push_back(Row{r.label, 0, 0});
    Row& row = rows[it->second];
    ++row.calls;
#if POSE_WITH_CUDA
    if (r.gpu) {
      row.ms += s.events.elapsed_ms(r.begin, r.end);
      continue;
    }
#endif
    row.ms += r.cpu_ms;
  }
  s.records.clear();
#if POSE_WITH_CUDA
  s.events.reset();
#endif
  return rows;
}

}  // namespace pose::op_timer
