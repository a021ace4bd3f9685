// The loader: background threads turn record indices into ready batches (decoded, augmented,
// normalised images; heatmap targets; target weights), in step order, into a bounded ring of
// preallocated batches (page-locked when `pinned`, for asynchronous copies to the GPU).
//
// Usage, per epoch:
//   loader.start(epoch, batches, first_step);   // batches: record indices per step
//   while (const Batch* b = loader.next()) { ... }  // b stays valid until the next next()
// next() blocks until the batch is ready; wait_seconds() says how long it waited in total.
//
// A record that cannot be used (corrupt or truncated JPEG, bytes outside the shard file, NaN
// joints) is skipped: the next usable record in the shard set takes its place in the batch, it
// is counted, reported once (log::warn) with its record index and image id, and not tried
// again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/tensor.h"
#include "data/sample_builder.h"
#include "data/shard_reader.h"

namespace pose {

struct LoaderSettings {
  SampleSettings sample;
  int batch_size = 32;
  int threads = 4;
  int prefetch_batches = 2;  // batches prepared ahead of the consumer
  bool pinned = false;       // page-locked batch memory (needs the CUDA backend)
};

struct Batch {
  std::int64_t epoch = 0;
  std::int64_t step = 0;
  int count = 0;    // valid samples; the last evaluation batch may be short
  Tensor images;    // [B, H, W, 3] f32, normalised
  Tensor targets;   // [B, h, w, K] f32
  Tensor weights;   // [B, K] f32
  std::vector<SampleInfo> samples;  // [count]
};

class Loader {
 public:
  Loader(const ShardSet& shards, const LoaderSettings& settings);
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;
  ~Loader();

  // Starts producing `batches` (record indices, at most batch_size each) of `epoch`; they are
  // numbered as steps first_step, first_step + 1, ... Abandons what the last epoch had left.
  void start(std::int64_t epoch, std::vector<std::vector<std::size_t>> batches,
             std::int64_t first_step = 0);

  // The next batch in order, or nullptr when the epoch is done.
  const Batch* next();

  double wait_seconds() const;       // total time next() spent waiting for batches
  std::int64_t bad_records() const;  // distinct records found unusable so far

 private:
  struct Job {
    std::size_t batch;
    int sample;
  };
  void worker_loop();
  bool claim(Job& job);  // under mutex_
  void build(const Job& job);
  std::size_t usable_record(std::size_t wanted, std::int64_t epoch, SampleInfo& info,
                            float* image, float* targets, float* weights);
  bool known_bad(std::size_t record) const;
  void report_bad(std::size_t record, const std::string& why);

  const ShardSet& shards_;
  LoaderSettings settings_;
  SampleBuilder builder_;
  std::vector<Batch> ring_;
  std::vector<int> remaining_;  // per ring slot: samples still being built

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;   // workers wait for jobs or free slots
  std::condition_variable batch_ready_;  // the consumer waits for its batch
  std::vector<std::vector<std::size_t>> batches_;
  std::int64_t epoch_ = 0;
  std::int64_t first_step_ = 0;
  std::size_t next_batch_ = 0;   // next job's batch
  int next_sample_ = 0;          // next job's sample within it
  std::size_t consumed_ = 0;     // batches handed to the consumer (the last one still in use)
  std::size_t released_ = 0;     // batches the consumer is done with (their slots are free)
  int in_flight_ = 0;            // jobs being built right now
  bool stopping_ = false;
  std::exception_ptr failure_;   // a worker's exception, rethrown by next()
  double wait_seconds_ = 0;
  std::set<std::size_t> bad_;
  std::vector<std::thread> workers_;
};

}  // namespace pose
