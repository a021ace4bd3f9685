#include "infer/image_jobs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/error.h"
#include "data/jpeg_decode.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

bool is_jpeg_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg";
}

// COCO names images by their id (000000397133.jpg); -1 for other names.
std::int64_t id_from_name(const std::string& path) {
  const std::string stem = fs::path(path).stem().string();
  if (stem.empty() || stem.size() > 18 || !std::all_of(stem.begin(), stem.end(), [](unsigned char c) { return std::isdigit(c); }))
    return -1;
  return std::stoll(stem);
}

std::string box_text(const std::array<double, 4>& b) { return cat(b[0], ",", b[1], ",", b[2], ",", b[3]); }

}  // namespace

std::vector<std::uint8_t> read_image_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot be read");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> list_images(const std::vector<std::string>& inputs, std::vector<std::string>& problems) {
  std::vector<std::string> images;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    if (seen.insert(fs::weakly_canonical(p).string()).second) images.push_back(p.string());
  };
  for (const std::string& input : inputs) {
    std::error_code error;
    if (fs::is_directory(input, error)) {
      std::vector<fs::path> found;
      for (const fs::directory_entry& e : fs::directory_iterator(input, error))
        if (e.is_regular_file() && is_jpeg_name(e.path())) found.push_back(e.path());
      if (found.empty()) problems.push_back(cat("'", input, "': the folder holds no .jpg or .jpeg files"));
      std::sort(found.begin(), found.end());
      for (const fs::path& p : found) add(p);
    } else if (fs::is_regular_file(input, error)) {
      add(input);
    } else {
      problems.push_back(cat("'", input, "': no such file or folder"));
    }
  }
  return images;
}

std::vector<ImageJob> plan_image_jobs(const std::vector<std::string>& images, const BoxChoice& choice,
                                      const RecordOptions& options, std::vector<std::string>& problems) {
  std::vector<ImageJob> jobs;
  for (std::size_t i = 0; i < images.size(); ++i) {
    ImageJob job;
    job.path = images[i];
    const std::int64_t named_id = id_from_name(job.path);
    job.image_id = named_id >= 0 ? named_id : static_cast<std::int64_t>(i + 1);
    try {
      const std::vector<std::uint8_t> bytes = read_image_bytes(job.path);
      const JpegHeader header = read_jpeg_header(bytes.data(), bytes.size());
      job.width = header.width;
      job.height = header.height;
    } catch (const Error& e) {
      problems.push_back(cat("'", job.path, "': ", e.what(), "; skipped"));
      continue;
    }
    std::vector<ScoredBox> boxes;
    if (choice.detections) {
      const auto found = choice.detections->find(job.image_id);
      if (named_id < 0)
        problems.push_back(cat("'", job.path, "': its name is not a COCO image id, so no detection matches it"));
      else if (found != choice.detections->end())
        boxes = found->second;
    } else if (!choice.boxes.empty()) {
      for (const auto& b : choice.boxes) boxes.push_back({b, 1.0});
    } else {
      boxes.push_back({{0, 0, double(job.width), double(job.height)}, 1.0});
    }
    for (const ScoredBox& sb : boxes) {
      const auto [x, y, w, h] = sb.box;
      // Used as given (evaluation uses detector boxes unclipped too); only a box that does not
      // touch the image is refused.
      if (!(std::min(x + w, double(job.width)) > std::max(x, 0.0) && std::min(y + h, double(job.height)) > std::max(y, 0.0))) {
        problems.push_back(cat("'", job.path, "' (", job.width, "x", job.height, "): box ", box_text(sb.box),
                               " lies outside the image; skipped"));
        continue;
      }
      PersonRecord r;
      r.image_id = job.image_id;
      r.image_width = job.width;
      r.image_height = job.height;
      r.box = {float(x), float(y), float(w), float(h)};
      r.area = static_cast<float>(w * h);
      r.score = static_cast<float>(sb.score);
      box_to_center_scale(x, y, w, h, options, r.center, r.scale);
      job.people.push_back(r);
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace pose
