// TrainLog: the training progress lines on rank 0, as text on the console and as JSON lines
// in <run>/train_log.jsonl (one object per line, the same numbers, each with "kind" and
// "time": wall-clock seconds since the Unix epoch).
#pragma once

#include <fstream>
#include <string>

#include "core/duration_text.h"

namespace pose {

struct TrainLogLine {
  int epoch = 0;            // 1-based
  int epochs = 0;
  long step = 0;            // 1-based within the epoch
  long steps = 0;
  long global_step = 0;
  double loss = 0;          // mean over the steps since the last line
  double accuracy = 0;      // PCK of the last batch (docs/reference_behaviour.md section 4)
  double lr = 0;
  double loss_scale = 0;
  double samples_per_second = 0;  // over all ranks
  double data_wait_share = 0;     // of the interval's wall time, rank 0
  double eta_seconds = 0;
};

class TrainLog {
 public:
  // Appends to `jsonl_path` (created when missing); "" writes no file.
  explicit TrainLog(const std::string& jsonl_path);
  void write(const TrainLogLine& line);
  void write_event(const std::string& kind, const std::string& json_fields);  // e.g. validation

 private:
  std::ofstream json_;
};


}  // namespace pose
