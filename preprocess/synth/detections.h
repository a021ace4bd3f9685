// Boxes a person detector might report for a scene, for evaluation with detector boxes (like
// COCO_val2017_detections_AP_H_56_person.json): each person's box jittered, scored by how
// well it overlaps the true box; some duplicates with lower scores; a few people missed; a
// few low-scored false boxes on clutter.
#pragma once

#include <vector>

#include "data/rng.h"
#include "geometry.h"
#include "scene.h"

namespace pose::synth {

std::vector<Detection> simulate_detections(Rng& rng, const std::vector<Annotation>& annotations,
                                           const std::vector<Box>& clutter, int width, int height);

}  // namespace pose::synth
