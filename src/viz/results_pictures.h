// Pictures of a COCO keypoint results file over its images: for each chosen image, the
// ground truth (left) beside the predictions (right), drawn by viz/skeleton.h; without a
// results file, the ground truth alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pose {

struct ResultsPictureOptions {
  std::string annotation_file;    // COCO person_keypoints_*.json: images, file names, ground truth
  std::string results_file;       // a COCO keypoint results file (pose_eval, pose_infer); "": none
  std::string images_dir;         // the folder of the annotation file's images
  std::string out_dir;
  std::size_t first = 8;          // the first N images of the annotation file, unless ids are given
  std::vector<std::int64_t> ids;  // chosen image ids
  double min_pose_score = 0.2;    // predictions scoring less are not drawn
  double joint_threshold = 0.2;   // joints scoring less are drawn faded
};

// Writes <out_dir>/<image name>_gt_vs_pred.jpg (<image name>_gt.jpg without results) per
// image and returns how many. A file that is
// not JSON of the expected form is a UserError naming it; an unknown id or an unreadable
// image adds a message naming it to `problems` and the rest are drawn.
std::size_t write_results_pictures(const ResultsPictureOptions& options, std::vector<std::string>& problems);

}  // namespace pose
