// pose_bench_loader: augmented samples per second of the data loader, per thread count.
//   pose_bench_loader --data DIR [--threads 1,2,4] [--seconds 5] [--batch 32]
//                     [--input 192x256] [--no-augment] [--decode exact|fast]
// DIR is a prepared split (the folder with index.json). Each setting runs whole training
// epochs (shuffled, augmented, targets built) for about --seconds after one warm-up batch.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "core/cli_values.h"
#include "core/error.h"
#include "data/loader.h"
#include "data/sampler.h"
#include "data/shard_reader.h"

namespace {

constexpr const char* kUsage =
    "usage: pose_bench_loader --data DIR [--threads N,N,...] [--seconds S] [--batch N]\n"
    "                         [--input WxH] [--no-augment] [--decode exact|fast]\n"
    "Augmented samples per second of the data loader, per thread count, on a prepared split.\n"
    "  --data DIR        the prepared split (the folder holding index.json)\n"
    "  --threads N,...   loader thread counts to measure (default 1, 2, 4, ... up to the cores)\n"
    "  --seconds S       time per thread count, after one warm-up batch (default 5)\n"
    "  --batch N         samples per batch (default 32)\n"
    "  --input WxH       input width x height (default 192x256); heatmaps are a quarter of it\n"
    "  --no-augment      no scale, rotation or flip\n"
    "  --decode M        JPEG decoding: fast (default; reduced-scale decode when the crop shrinks\n"
    "                    the image 2x or more) or exact (full-size decode, as the reference)\n"
    "  --help            this text\n";

struct Options {
  bool help = false;
  std::string data;
  std::vector<int> threads;
  double seconds = 5;
  int batch = 32;
  int width = 192, height = 256;
  bool augment = true;
  pose::DecodeMode decode = pose::DecodeMode::Fast;
};

Options parse(int argc, char** argv) {
  namespace cli = pose::cli;
  Options o;
  const std::vector<std::string> args = cli::split_assignments(argc, argv);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw pose::UserError(arg + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      return o;
    }
    if (arg == "--data") o.data = value();
    else if (arg == "--threads") o.threads = cli::whole_numbers(arg, value(), 1, 1024);
    else if (arg == "--seconds") o.seconds = cli::positive_number(arg, value());
    else if (arg == "--batch") o.batch = cli::whole_number(arg, value(), 1, 65536);
    else if (arg == "--input") {
      const cli::ImageSize size = cli::image_size(arg, value());
      o.width = size.width;
      o.height = size.height;
    } else if (arg == "--no-augment") o.augment = false;
    else if (arg == "--decode") {
      const std::string mode = value();
      if (mode != "exact" && mode != "fast")
        throw pose::UserError("--decode wants exact or fast, got '" + mode + "'");
      o.decode = mode == "fast" ? pose::DecodeMode::Fast : pose::DecodeMode::Exact;
    }
    else throw pose::UserError("unknown option '" + arg + "'");
  }
  if (o.data.empty()) throw pose::UserError("--data DIR is required");
  if (o.threads.empty())
    for (int t = 1; t <= static_cast<int>(std::thread::hardware_concurrency()); t *= 2) o.threads.push_back(t);
  return o;
}

// One epoch's batches for a single rank.
std::vector<std::vector<std::size_t>> epoch_batches(const pose::TrainSampler& sampler, std::int64_t epoch) {
  const auto order = sampler.epoch_order(epoch);
  std::vector<std::vector<std::size_t>> batches;
  for (std::int64_t s = 0; s < sampler.steps_per_epoch(); ++s) batches.push_back(sampler.batch(order, s));
  return batches;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_bench_loader: %s\n%s", e.what(), kUsage);
    return 2;
  }
  if (o.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    const pose::ShardSet shards = pose::ShardSet::open(o.data);
    const pose::TrainSampler sampler(shards.size(), o.batch, 0, 1, true, 1);
    std::printf("loader benchmark: %zu records from %s, batch %d, input %dx%d, augmentation %s, decode %s\n",
                shards.size(), o.data.c_str(), o.batch, o.width, o.height, o.augment ? "on" : "off",
                o.decode == pose::DecodeMode::Fast ? "fast" : "exact");
    std::printf("%8s %12s %18s %12s\n", "threads", "samples/s", "samples/s/thread", "bad records");
    for (int threads : o.threads) {
      pose::LoaderSettings settings;
      settings.sample.input_width = o.width;
      settings.sample.input_height = o.height;
      settings.sample.heatmap_width = o.width / 4;
      settings.sample.heatmap_height = o.height / 4;
      settings.sample.augment = o.augment;
      settings.sample.decode = o.decode;
      settings.batch_size = o.batch;
      settings.threads = threads;
      settings.prefetch_batches = 2 * threads;
      pose::Loader loader(shards, settings);
      std::int64_t epoch = 0, samples = 0;
      loader.start(epoch, epoch_batches(sampler, epoch));
      loader.next();  // warm-up: threads started, buffers touched
      const auto begin = std::chrono::steady_clock::now();
      double elapsed = 0;
      while (elapsed < o.seconds) {
        const pose::Batch* batch = loader.next();
        if (!batch) {
          ++epoch;
          loader.start(epoch, epoch_batches(sampler, epoch));
          continue;
        }
        samples += batch->count;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      }
      const double rate = static_cast<double>(samples) / elapsed;
      std::printf("%8d %12.1f %18.1f %12lld\n", threads, rate, rate / threads,
                  static_cast<long long>(loader.bad_records()));
    }
    return 0;
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_bench_loader: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose_bench_loader: internal error: %s\n", e.what());
    return 1;
  }
}
