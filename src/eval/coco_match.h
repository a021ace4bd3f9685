// Matching detections to ground truth in one image, for one category and one area range, at
// every OKS threshold (the per-image step of COCOeval.evaluate, docs/reference_behaviour.md section 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "eval/coco_gt.h"
#include "eval/coco_params.h"

namespace pose {

// What a detection counts as when the curves are accumulated.
enum class DetectionOutcome : std::uint8_t {
  kTruePositive,
  kFalsePositive,
  kIgnored,  // matched an ignored GT, or unmatched with an area outside the range
};

// gts: the image's GT of the category in file order. detection_areas: its detections sorted
// by score (stable) and cut to the top 20. oks: detections x gts, row-major, from
// oks_to_ground_truth. Writes the outcome of detection d at threshold t to
// outcomes[t * threshold_stride + d] and returns how many GT count in this area range (not
// ignored).
//
// Rules, as pycocotools applies them: GT is ignored when flagged (crowd, no keypoints) or
// when its area is outside the range; non-ignored GT is tried first. Each detection, best
// first, takes the GT with the highest OKS >= t (ties go to the later GT) among those still
// free (crowd GT is never used up); once it holds a non-ignored GT it stops at the first
// ignored one. A detection on an ignored GT is ignored. A detection whose GT has id 0 counts
// as unmatched, because pycocotools stores the matched id and reads 0 as "no match".
int match_image(const std::vector<const CocoGtPerson*>& gts, const std::vector<double>& detection_areas,
                const std::vector<double>& oks, const coco::AreaRange& range, DetectionOutcome* outcomes,
                std::size_t threshold_stride);

}  // namespace pose
