#include "generate_split.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "data/jpeg_encode.h"
#include "data/rng.h"
#include "io/file.h"

namespace pose::synth {

std::vector<ImageRecord> generate_split(const SplitPlan& plan, const SynthOptions& options,
                                        const std::filesystem::path& folder) {
  constexpr int kJpegQuality = 90;
  make_folder(folder);
  std::vector<ImageRecord> records(static_cast<std::size_t>(plan.count));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (int i = next++; i < plan.count && !failed; i = next++) {
      try {
        Rng rng(options.seed, plan.stream, static_cast<std::uint64_t>(i));
        const Scene scene = make_scene(rng, options.scene);
        const std::vector<std::uint8_t> jpeg = encode_jpeg_rgb(scene.rgb.data(), scene.width, scene.height, kJpegQuality);
        ImageRecord& record = records[static_cast<std::size_t>(i)];
        record = {plan.first_id + i, scene.width, scene.height, scene.annotations, scene.detections};
        File file((folder / image_file_name(record.id)).string(), "wb");
        file.write_all(jpeg.data(), jpeg.size());
        file.close();
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!first_failure) first_failure = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min(options.threads, plan.count); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (first_failure) std::rethrow_exception(first_failure);
  return records;
}

}  // namespace pose::synth
