// The multi-step learning-rate schedule. Epochs are counted from 1 here, as the reference's
// logs and lr_steps are read: epoch E trains at lr * factor^(number of steps <= E). With steps
// 90,120 the rate drops for epochs 90 and 120 (1-based), which is where the reference's
// scheduler, stepped at the start of each epoch, actually drops it (its 0-based epochs 89, 119).
#pragma once

#include <vector>

namespace pose {

double learning_rate(double base, const std::vector<int>& steps, double factor, int epoch_1based);

}  // namespace pose
