#include "train/lr_schedule.h"

namespace pose {

double learning_rate(double base, const std::vector<int>& steps, double factor, int epoch_1based) {
  double lr = base;
  for (int step : steps)
    if (step <= epoch_1based) lr *= factor;
  return lr;
}

}  // namespace pose
