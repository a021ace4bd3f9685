#include "infer/gather_poses.h"

#include <algorithm>

#include "dist/mpi_check.h"

namespace pose {
namespace {

// A pose travels between ranks as this many doubles: image id, 51 keypoint values, center,
// scale, area, score.
constexpr int kPoseDoubles = 1 + 51 + 2 + 2 + 1 + 1;

void pack(const PosePrediction& p, double* out) {
  out[0] = static_cast<double>(p.image_id);
  std::copy(p.keypoints.begin(), p.keypoints.end(), out + 1);
  out[52] = p.center[0];
  out[53] = p.center[1];
  out[54] = p.scale[0];
  out[55] = p.scale[1];
  out[56] = p.area;
  out[57] = p.score;
}

PosePrediction unpack(const double* in) {
  PosePrediction p;
  p.image_id = static_cast<std::int64_t>(in[0]);
  std::copy(in + 1, in + 52, p.keypoints.begin());
  p.center = {in[52], in[53]};
  p.scale = {in[54], in[55]};
  p.area = in[56];
  p.score = in[57];
  return p;
}

}  // namespace

std::vector<PosePrediction> gather_poses(Runtime& runtime, const std::vector<PosePrediction>& local) {
  std::vector<double> send(local.size() * kPoseDoubles);
  for (std::size_t i = 0; i < local.size(); ++i) pack(local[i], send.data() + i * kPoseDoubles);
  int count = static_cast<int>(send.size());
  std::vector<int> counts(static_cast<std::size_t>(runtime.size())), offsets(counts.size());
  POSE_MPI_CHECK(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, runtime.world()));
  std::vector<double> all;
  if (runtime.is_root()) {
    int total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      offsets[r] = total;
      total += counts[r];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  POSE_MPI_CHECK(MPI_Gatherv(send.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                             0, runtime.world()));
  std::vector<PosePrediction> poses;
  for (std::size_t i = 0; i + kPoseDoubles <= all.size(); i += kPoseDoubles) poses.push_back(unpack(all.data() + i));
  return poses;
}

}  // namespace pose
