#include "eval/coco_eval.h"

#include <algorithm>
#include <array>

#include "eval/coco_accumulate.h"
#include "eval/coco_match.h"
#include "eval/oks.h"

namespace pose {

namespace {

// Items grouped by image (index into gt.image_ids), each group in file order: a counting sort.
struct ByImage {
  std::vector<std::size_t> begin;  // group i is items[begin[i], begin[i + 1])
  std::vector<std::size_t> items;

  ByImage(const std::vector<std::size_t>& image_of, const std::vector<std::size_t>& chosen, std::size_t images)
      : begin(images + 1, 0), items(chosen.size()) {
    for (const std::size_t i : chosen) ++begin[image_of[i] + 1];
    for (std::size_t i = 0; i < images; ++i) begin[i + 1] += begin[i];
    std::vector<std::size_t> next(begin.begin(), begin.end() - 1);
    for (const std::size_t i : chosen) items[next[image_of[i]]++] = i;
  }
  std::size_t size(std::size_t image) const { return begin[image + 1] - begin[image]; }
  const std::size_t* data(std::size_t image) const { return items.data() + begin[image]; }
};

template <typename Item>
std::vector<std::size_t> image_indices(const CocoGroundTruth& gt, const std::vector<Item>& items) {
  std::vector<std::size_t> index(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) index[i] = gt.image_index(items[i].image_id);
  return index;
}

template <typename Item>
std::vector<std::size_t> of_category(const std::vector<Item>& items, std::int64_t category) {
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].category_id == category) chosen.push_back(i);
  return chosen;
}

// One image's detections of a category: best score first (stable), the top kMaxDetections.
std::vector<std::size_t> top_detections(const std::vector<CocoDetection>& detections, const std::size_t* indices,
                                        std::size_t count) {
  std::vector<std::size_t> top(indices, indices + count);
  std::stable_sort(top.begin(), top.end(),
                   [&](std::size_t a, std::size_t b) { return -detections[a].score < -detections[b].score; });
  if (top.size() > static_cast<std::size_t>(coco::kMaxDetections)) top.resize(coco::kMaxDetections);
  return top;
}

std::array<CategoryCurves, coco::kAreaRangeCount> evaluate_category(
    const CocoGroundTruth& gt, const std::vector<CocoDetection>& detections, const ByImage& gts_of,
    const ByImage& dets_of) {
  const std::size_t images = gt.image_ids.size();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < images; ++i)
    kept += std::min(dets_of.size(i), static_cast<std::size_t>(coco::kMaxDetections));

  std::vector<double> scores;  // images in id order, each image's detections best first
  scores.reserve(kept);
  std::array<std::vector<DetectionOutcome>, coco::kAreaRangeCount> outcomes;
  for (auto& o : outcomes) o.resize(kept * coco::kThresholdCount);
  std::array<long, coco::kAreaRangeCount> counted_gt{};

  std::vector<const CocoGtPerson*> image_gts;
  std::vector<double> areas, oks;
  for (std::size_t i = 0; i < images; ++i) {
    if (gts_of.size(i) == 0 && dets_of.size(i) == 0) continue;
    image_gts.clear();
    for (std::size_t g = 0; g < gts_of.size(i); ++g) image_gts.push_back(&gt.people[gts_of.data(i)[g]]);
    const std::vector<std::size_t> top = top_detections(detections, dets_of.data(i), dets_of.size(i));
    areas.clear();
    oks.clear();
    for (const std::size_t d : top) {
      const CocoDetection& det = detections[d];
      areas.push_back(det.area);
      for (const CocoGtPerson* g : image_gts)
        oks.push_back(oks_to_ground_truth(det.keypoints.data(), g->keypoints.data(), g->box, g->area));
    }
    const std::size_t offset = scores.size();
    for (const std::size_t d : top) scores.push_back(detections[d].score);
    for (int a = 0; a < coco::kAreaRangeCount; ++a)
      counted_gt[a] += match_image(image_gts, areas, oks, coco::kAreaRanges[a], outcomes[a].data() + offset, kept);
  }

  const std::vector<std::size_t> ranking = rank_by_score(scores);
  std::array<CategoryCurves, coco::kAreaRangeCount> curves;
  for (int a = 0; a < coco::kAreaRangeCount; ++a)
    curves[a] = accumulate_curves(ranking, outcomes[a].data(), kept, counted_gt[a]);
  return curves;
}

}  // namespace

CocoKeypointStats evaluate_coco_keypoints(const CocoGroundTruth& gt, const std::vector<CocoDetection>& detections) {
  const std::size_t images = gt.image_ids.size();
  const std::vector<std::size_t> gt_image = image_indices(gt, gt.people);
  const std::vector<std::size_t> det_image = image_indices(gt, detections);
  std::vector<std::array<CategoryCurves, coco::kAreaRangeCount>> curves;
  for (const std::int64_t category : gt.category_ids) {
    const ByImage gts_of(gt_image, of_category(gt.people, category), images);
    const ByImage dets_of(det_image, of_category(detections, category), images);
    curves.push_back(evaluate_category(gt, detections, gts_of, dets_of));
  }
  return summarize(curves);
}

}  // namespace pose
