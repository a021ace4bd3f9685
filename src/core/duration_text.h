// Durations for people reading logs and progress lines: "1h02m", "3m05s", "42s".
#pragma once

#include <string>

namespace pose {

std::string format_duration(double seconds);

}  // namespace pose
