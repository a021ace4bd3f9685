#include "train/train_log.h"

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/log.h"

namespace pose {
namespace {

// Wall-clock time of a line, in seconds since the Unix epoch, so lines of a resumed run and of
// other runs can be put on one time axis (scripts/plot_training.py).
double unix_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TrainLog::TrainLog(const std::string& jsonl_path) {
  if (jsonl_path.empty()) return;
  json_.open(jsonl_path, std::ios::app);
  if (!json_) throw UserError(cat("cannot open the training log '", jsonl_path, "' for appending"));
}

void TrainLog::write(const TrainLogLine& l) {
  char text[320];
  std::snprintf(text, sizeof text,
                "epoch %d/%d step %ld/%ld  loss %.6f  acc %.3f  lr %.2e  scale %g  %.1f samples/s  "
                "data wait %.0f%%  ETA %s",
                l.epoch, l.epochs, l.step, l.steps, l.loss, l.accuracy, l.lr, l.loss_scale, l.samples_per_second,
                100 * l.data_wait_share, format_duration(l.eta_seconds).c_str());
  log::info(text);
  if (!json_.is_open()) return;
  const nlohmann::json j = {{"kind", "train"},
                            {"epoch", l.epoch},
                            {"step", l.step},
                            {"steps_per_epoch", l.steps},
                            {"global_step", l.global_step},
                            {"loss", l.loss},
                            {"accuracy", l.accuracy},
                            {"lr", l.lr},
                            {"loss_scale", l.loss_scale},
                            {"samples_per_second", l.samples_per_second},
                            {"data_wait_share", l.data_wait_share},
                            {"eta_seconds", l.eta_seconds},
                            {"time", unix_seconds()}};
  json_ << j.dump() << '\n' << std::flush;
}

void TrainLog::write_event(const std::string& kind, const std::string& json_fields) {
  if (!json_.is_open()) return;
  nlohmann::json j = nlohmann::json::parse(json_fields);
  j["kind"] = kind;
  j["time"] = unix_seconds();
  json_ << j.dump() << '\n' << std::flush;
}

}  // namespace pose
