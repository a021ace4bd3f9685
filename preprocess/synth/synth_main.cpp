// pose_synth: writes the built-in synthetic dataset in the COCO 2017 layout:
//   DIR/annotations/person_keypoints_{train,val}2017.json, DIR/{train,val}2017/%012d.jpg,
//   DIR/detections/person_detections_val2017.json (a detector-style box list).
//   pose_synth --out DIR [--train-images 512] [--val-images 128] [--seed 1] [--threads T]
//              [--min-size 256] [--max-size 512]
// Every image is drawn from its own random stream (seed, image number), so the output is the
// same for the same seed whatever the thread count.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "io/file.h"
#include "scene.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using pose::synth::Scene;

struct Options {
  std::string out;
  int train = 512, val = 128, threads = 0;
  std::uint64_t seed = 1;
  pose::synth::SceneSettings scene;
};

Options parse(int argc, char** argv) {
  Options o;
  o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) throw pose::UserError("pose_synth: " + arg + " needs a value (or is unknown)");
    const std::string value = argv[++i];
    char* end = nullptr;
    const long number = std::strtol(value.c_str(), &end, 10);
    const bool is_number = !value.empty() && *end == '\0';
    auto count = [&](long lo, long hi) {
      if (!is_number || number < lo || number > hi)
        throw pose::UserError("pose_synth: " + arg + " wants a whole number in [" + std::to_string(lo) + ", " +
                              std::to_string(hi) + "], got '" + value + "'");
      return static_cast<int>(number);
    };
    if (arg == "--out") o.out = value;
    else if (arg == "--train-images") o.train = count(0, 10000000);
    else if (arg == "--val-images") o.val = count(0, 10000000);
    else if (arg == "--threads") o.threads = count(1, 1024);
    else if (arg == "--seed") o.seed = static_cast<std::uint64_t>(count(0, 2147483647));
    else if (arg == "--min-size") o.scene.min_size = count(64, 8192);
    else if (arg == "--max-size") o.scene.max_size = count(64, 8192);
    else throw pose::UserError("pose_synth: unknown option '" + arg + "'");
  }
  if (o.out.empty()) throw pose::UserError("pose_synth: --out DIR is required");
  if (o.scene.min_size > o.scene.max_size) throw pose::UserError("pose_synth: --min-size exceeds --max-size");
  return o;
}

json categories() {
  return json::array({{{"id", 1}, {"name", "person"}, {"supercategory", "person"},
                       {"keypoints", {"nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
                                      "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
                                      "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"}},
                       {"skeleton", {{16, 14}, {14, 12}, {17, 15}, {15, 13}, {12, 13}, {6, 12}, {7, 13}, {6, 7},
                                     {6, 8}, {7, 9}, {8, 10}, {9, 11}, {2, 3}, {1, 2}, {1, 3}, {2, 4}, {3, 5},
                                     {4, 6}, {5, 7}}}}});
}

std::string file_name(std::int64_t id) {
  char name[32];
  std::snprintf(name, sizeof name, "%012lld.jpg", static_cast<long long>(id));
  return name;
}

// Draws images [first_id, first_id + count) of one split on all threads, writes the JPEGs and
// returns the scenes in id order.
std::vector<Scene> draw_split(const Options& o, const fs::path& folder, std::int64_t first_id, int count) {
  fs::create_directories(folder);
  std::vector<Scene> scenes(static_cast<std::size_t>(count));
  std::atomic<int> next{0};
  std::string failure;
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (int i; !failed && (i = next++) < count;) {
      const std::int64_t id = first_id + i;
      pose::Rng rng(o.seed, 0x53594e54ull /* "SYNT" */, static_cast<std::uint64_t>(id));
      Scene& scene = scenes[static_cast<std::size_t>(i)];
      scene = pose::synth::make_scene(rng, o.scene);
      try {
        pose::File f((folder / file_name(id)).string(), "wb");
        f.write_all(scene.jpeg.data(), scene.jpeg.size());
        f.close();
      } catch (const pose::Error& e) {
        if (!failed.exchange(true)) failure = e.what();
      }
      scene.jpeg = {};
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < o.threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (failed) throw pose::UserError("pose_synth: " + failure);
  return scenes;
}

void write_json(const fs::path& path, const json& doc) { pose::write_text_file(path.string(), doc.dump() + "\n"); }

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    const auto start = std::chrono::steady_clock::now();
    const fs::path root(o.out);
    std::int64_t next_annotation = 1;
    std::size_t people = 0;
    struct Split {
      const char* name;
      std::int64_t first_id;
      int count;
    };
    // Ids are unique across the splits: val continues after train.
    for (const Split& split : {Split{"train2017", 1, o.train}, Split{"val2017", 1 + o.train, o.val}}) {
      const std::vector<Scene> scenes = draw_split(o, root / split.name, split.first_id, split.count);
      json images = json::array(), annotations = json::array(), detections = json::array();
      for (int i = 0; i < split.count; ++i) {
        const Scene& scene = scenes[static_cast<std::size_t>(i)];
        const std::int64_t id = split.first_id + i;
        images.push_back({{"id", id}, {"file_name", file_name(id)}, {"width", scene.width}, {"height", scene.height}});
        for (const auto& person : scene.people) {
          annotations.push_back({{"id", next_annotation++}, {"image_id", id}, {"category_id", 1}, {"iscrowd", 0},
                                 {"bbox", person.bbox}, {"area", person.area}, {"keypoints", person.keypoints},
                                 {"num_keypoints", person.num_keypoints}});
          ++people;
        }
        for (const auto& det : scene.detections)
          detections.push_back({{"image_id", id}, {"category_id", 1}, {"bbox", det.bbox}, {"score", det.score}});
      }
      fs::create_directories(root / "annotations");
      write_json(root / "annotations" / ("person_keypoints_" + std::string(split.name) + ".json"),
                 {{"info", {{"description", "pose synthetic COCO-style dataset"}, {"seed", o.seed}}},
                  {"images", images}, {"annotations", annotations}, {"categories", categories()}});
      if (std::string(split.name) == "val2017") {
        fs::create_directories(root / "detections");
        write_json(root / "detections" / "person_detections_val2017.json", detections);
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int images = o.train + o.val;
    std::printf("pose_synth: %d images (%d train, %d val), %zu people in %s, %.2f s, %.0f images/s\n", images,
                o.train, o.val, people, o.out.c_str(), seconds, images / seconds);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
