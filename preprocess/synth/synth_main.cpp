// pose_synth: writes the built-in synthetic dataset in the COCO 2017 layout (options.cpp has
// the usage): stick figures with COCO's 17 keypoints on cluttered backgrounds, for the
// end-to-end tests and the README's main job.
#include <chrono>
#include <cstdio>
#include <exception>

#include "core/error.h"
#include "generate_split.h"
#include "options.h"

namespace {

using namespace pose::synth;

int run(const SynthOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const std::filesystem::path root(o.out);
  make_folder(root / "annotations");
  make_folder(root / "detections");
  // Ids are unique across the splits: val's continue after train's.
  const SplitPlan splits[] = {{"train2017", 1, o.train_images, 1}, {"val2017", 1 + o.train_images, o.val_images, 2}};
  std::int64_t next_annotation_id = 1;
  std::size_t people = 0, crowds = 0;
  for (const SplitPlan& split : splits) {
    const std::vector<ImageRecord> images = generate_split(split, o, root / split.name);
    for (const ImageRecord& image : images)
      for (const Annotation& a : image.annotations) ++(a.crowd ? crowds : people);
    write_json(root / "annotations" / ("person_keypoints_" + split.name + ".json"),
               keypoints_json(images, next_annotation_id, o.seed));
    if (split.name == "val2017") write_json(root / "detections" / "person_detections_val2017.json", detections_json(images));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int images = o.train_images + o.val_images;
  std::printf("pose_synth: %d images (%d train, %d val), %zu people, %zu crowd regions, in %s: %.2f s, %.0f images/s\n",
              images, o.train_images, o.val_images, people, crowds, o.out.c_str(), seconds, images / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const SynthOptions options = parse_synth_options(argc, argv);
    if (options.help) {
      std::fputs(kSynthUsage, stdout);
      return 0;
    }
    return run(options);
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose_synth: internal error: %s\n", e.what());
    return 1;
  }
}
