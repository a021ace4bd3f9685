#include "eval/coco_summary.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "eval/numpy_sum.h"

namespace pose {

namespace {

struct StatSpec {
  bool precision;      // AP (else AR)
  double threshold;    // the single OKS threshold, or < 0 for the mean over all ten
  int area;            // index into coco::kAreaRanges
};

constexpr std::array<StatSpec, kCocoStatCount> kSpecs = {{{true, -1, 0},
                                                          {true, 0.5, 0},
                                                          {true, 0.75, 0},
                                                          {true, -1, 1},
                                                          {true, -1, 2},
                                                          {false, -1, 0},
                                                          {false, 0.5, 0},
                                                          {false, 0.75, 0},
                                                          {false, -1, 1},
                                                          {false, -1, 2}}};

// The thresholds a stat averages over: all, or those equal to its single threshold (compared
// as doubles, as pycocotools does).
std::vector<int> thresholds_of(const StatSpec& spec) {
  std::vector<int> chosen;
  for (int t = 0; t < coco::kThresholdCount; ++t)
    if (spec.threshold < 0 || coco::oks_thresholds()[t] == spec.threshold) chosen.push_back(t);
  return chosen;
}

double stat(const std::vector<std::array<CategoryCurves, coco::kAreaRangeCount>>& curves, const StatSpec& spec) {
  std::vector<double> kept;
  for (const int t : thresholds_of(spec)) {
    if (spec.precision) {
      for (int r = 0; r < coco::kRecallPointCount; ++r)
        for (const auto& category : curves) {
          const double v = category[spec.area].precision[t][r];
          if (v > -1) kept.push_back(v);
        }
    } else {
      for (const auto& category : curves) {
        const double v = category[spec.area].recall[t];
        if (v > -1) kept.push_back(v);
      }
    }
  }
  if (kept.empty()) return -1;
  return numpy_sum(kept.data(), kept.size()) / static_cast<double>(kept.size());
}

}  // namespace

CocoKeypointStats summarize(const std::vector<std::array<CategoryCurves, coco::kAreaRangeCount>>& curves) {
  CocoKeypointStats stats;
  for (int i = 0; i < kCocoStatCount; ++i) stats.values[i] = stat(curves, kSpecs[i]);
  return stats;
}

std::string format_stats_table(const CocoKeypointStats& stats) {
  std::string table;
  for (int i = 0; i < kCocoStatCount; ++i) {
    const StatSpec& spec = kSpecs[i];
    char iou[16];
    if (spec.threshold < 0)
      std::snprintf(iou, sizeof iou, "%0.2f:%0.2f", coco::oks_thresholds().front(), coco::oks_thresholds().back());
    else
      std::snprintf(iou, sizeof iou, "%0.2f", spec.threshold);
    char line[128];
    std::snprintf(line, sizeof line, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %0.3f\n",
                  spec.precision ? "Average Precision" : "Average Recall", spec.precision ? "(AP)" : "(AR)", iou,
                  coco::kAreaRanges[spec.area].label, coco::kMaxDetections, stats.values[i]);
    table += line;
  }
  return table;
}

std::string format_stats_json(const CocoKeypointStats& stats) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  for (int i = 0; i < kCocoStatCount; ++i) doc[kCocoStatNames[i]] = stats.values[i];
  return doc.dump();
}

}  // namespace pose
