// The network shape a config describes ([model] and the input size of [data]).
#pragma once

#include "config/config.h"
#include "model/pose_resnet_spec.h"

namespace pose {

PoseResNetSpec spec_from_config(const Config& config);

}  // namespace pose
