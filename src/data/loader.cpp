#include "data/loader.h"

#include <chrono>

#include "core/error.h"
#include "core/log.h"
#include "data/data_error.h"

namespace pose {

Loader::Loader(const ShardSet& shards, const LoaderSettings& settings)
    : shards_(shards), settings_(settings), builder_(settings.sample) {
  if (settings.batch_size < 1) throw UserError(cat("loader: batch size ", settings.batch_size, " < 1"));
  if (settings.threads < 1) throw UserError(cat("loader: ", settings.threads, " threads < 1"));
  const SampleSettings& s = settings.sample;
  const std::int64_t b = settings.batch_size;
  const int slots = std::max(1, settings.prefetch_batches) + 1;  // + the one the consumer holds
  for (int i = 0; i < slots; ++i) {
    Batch batch;
    auto make = [&](const Shape& shape) {
      return settings.pinned ? Tensor::pinned(shape, DType::F32) : Tensor::empty(shape, DType::F32, Device::CPU);
    };
    batch.images = make({b, s.input_height, s.input_width, 3});
    batch.targets = make({b, s.heatmap_height, s.heatmap_width, s.num_joints});
    batch.weights = make({b, s.num_joints});
    batch.samples.resize(static_cast<std::size_t>(b));
    ring_.push_back(std::move(batch));
  }
  remaining_.assign(ring_.size(), 0);
  for (int i = 0; i < settings.threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

Loader::~Loader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void Loader::start(std::int64_t epoch, std::vector<std::vector<std::size_t>> batches,
                   std::int64_t first_step) {
  for (const auto& b : batches)
    POSE_CHECK(!b.empty() && static_cast<int>(b.size()) <= settings_.batch_size,
               "loader: a batch of ", b.size(), " records for batch size ", settings_.batch_size);
  std::unique_lock<std::mutex> lock(mutex_);
  // Let jobs of the previous epoch finish before their batch slots are reused.
  next_batch_ = batches_.size();
  batch_ready_.wait(lock, [&] { return in_flight_ == 0; });
  batches_ = std::move(batches);
  epoch_ = epoch;
  first_step_ = first_step;
  next_batch_ = 0;
  next_sample_ = 0;
  consumed_ = 0;
  released_ = 0;
  failure_ = nullptr;
  for (std::size_t i = 0; i < ring_.size() && i < batches_.size(); ++i)
    remaining_[i] = static_cast<int>(batches_[i].size());
  lock.unlock();
  work_ready_.notify_all();
}

const Batch* Loader::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (released_ < consumed_) {
    // The consumer is done with the previous batch: its slot can take the batch `slots` later.
    released_ = consumed_;
    const std::size_t refill = released_ - 1 + ring_.size();
    if (refill < batches_.size()) remaining_[refill % ring_.size()] = static_cast<int>(batches_[refill].size());
    work_ready_.notify_all();
  }
  if (consumed_ >= batches_.size()) return nullptr;
  const std::size_t slot = consumed_ % ring_.size();
  const auto begin = std::chrono::steady_clock::now();
  batch_ready_.wait(lock, [&] {
    return failure_ || (remaining_[slot] == 0 && next_batch_ > consumed_);
  });
  if (failure_) std::rethrow_exception(failure_);
  wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  Batch& batch = ring_[slot];
  batch.epoch = epoch_;
  batch.step = first_step_ + static_cast<std::int64_t>(consumed_);
  batch.count = static_cast<int>(batches_[consumed_].size());
  ++consumed_;
  return &batch;
}

bool Loader::claim(Job& job) {
  if (next_batch_ >= batches_.size()) return false;
  // A batch may be built only once the consumer has released the slot it goes into.
  if (next_batch_ >= released_ + ring_.size()) return false;
  job = {next_batch_, next_sample_};
  if (++next_sample_ == static_cast<int>(batches_[next_batch_].size())) {
    next_sample_ = 0;
    ++next_batch_;
  }
  return true;
}

void Loader::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    Job job{};
    work_ready_.wait(lock, [&] { return stopping_ || claim(job); });
    if (stopping_) return;
    ++in_flight_;
    lock.unlock();
    std::exception_ptr failure;
    try {
      build(job);
    } catch (...) {
      failure = std::current_exception();  // handed to the consumer by next()
    }
    lock.lock();
    if (failure && !failure_) failure_ = failure;
    --in_flight_;
    --remaining_[job.batch % ring_.size()];
    batch_ready_.notify_all();
  }
}

void Loader::build(const Job& job) {
  Batch& batch = ring_[job.batch % ring_.size()];
  const SampleSettings& s = settings_.sample;
  const auto i = static_cast<std::size_t>(job.sample);
  float* image = batch.images.data<float>() + i * s.input_height * s.input_width * 3;
  float* targets = batch.targets.data<float>() + i * s.heatmap_height * s.heatmap_width * s.num_joints;
  float* weights = batch.weights.data<float>() + i * s.num_joints;
  usable_record(batches_[job.batch][i], epoch_, batch.samples[i], image, targets, weights);
}

std::size_t Loader::usable_record(std::size_t wanted, std::int64_t epoch, SampleInfo& info,
                                  float* image, float* targets, float* weights) {
  thread_local std::vector<std::uint8_t> jpeg;
  // Try the wanted record, then the following ones: a bad record must not stop training.
  for (std::size_t attempt = 0; attempt < shards_.size(); ++attempt) {
    const std::size_t record = (wanted + attempt) % shards_.size();
    if (known_bad(record)) continue;
    std::string why;
    if (!shards_.record_looks_valid(record, &why)) {
      report_bad(record, why);
      continue;
    }
    try {
      shards_.read_jpeg(record, jpeg);
      builder_.build(shards_.record(record), record, epoch, jpeg, image, targets, weights, info);
      return record;
    } catch (const Error& e) {
      report_bad(record, e.what());
    }
  }
  throw UserError(cat("no usable record in '", shards_.path(), "': every record failed to load"));
}

bool Loader::known_bad(std::size_t record) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bad_.count(record) > 0;
}

void Loader::report_bad(std::size_t record, const std::string& why) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (bad_.insert(record).second)
    log::warn("skipping record ", record, " (image id ", shards_.record(record).image_id,
              ") of '", shards_.path(), "': ", why);
}

double Loader::wait_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return wait_seconds_;
}

std::int64_t Loader::bad_records() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::int64_t>(bad_.size());
}

}  // namespace pose
