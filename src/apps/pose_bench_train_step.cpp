// pose_bench_train_step: time of one PoseResNet training step (forward, loss, backward,
// optimiser; no data loading, no all-reduce) on random inputs, and the memory it needs.
// Prints the median over --steps after --warmup steps, per batch size given.
//   pose_bench_train_step --device cuda --depth 50 --batch 64,128 --input 256x192
//   pose_bench_train_step --device cpu --depth 18 --base-width 16 --deconv-filters 64 --input 128x96 --batch 8
//   (--deconv-layers N: N deconvolutions of --deconv-filters each, 3 by default)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"
#include "model/weights.h"
#include "train/optimizer.h"

namespace {

struct Options {
  std::string device = "cuda";
  int depth = 50;
  int base_width = 64;
  int deconv_filters = 256;
  int deconv_layers = 3;
  std::vector<int> batches{64};
  int height = 256, width = 192;
  int steps = 30, warmup = 10;
};

std::vector<int> int_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoi(item));
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw pose::UserError(pose::cat(arg, " needs a value"));
      return argv[++i];
    };
    if (arg == "--device") o.device = value();
    else if (arg == "--depth") o.depth = std::stoi(value());
    else if (arg == "--base-width") o.base_width = std::stoi(value());
    else if (arg == "--deconv-filters") o.deconv_filters = std::stoi(value());
    else if (arg == "--deconv-layers") o.deconv_layers = std::stoi(value());
    else if (arg == "--batch") o.batches = int_list(value());
    else if (arg == "--input") std::sscanf(value().c_str(), "%dx%d", &o.height, &o.width);
    else if (arg == "--steps") o.steps = std::stoi(value());
    else if (arg == "--warmup") o.warmup = std::stoi(value());
    else throw pose::UserError(pose::cat("unknown argument '", arg, "'; see the comment at the top of the source"));
  }
  return o;
}

void fill_random(const pose::DeviceContext& ctx, const pose::TensorView& t, float lo, float hi) {
  std::vector<float> host(static_cast<std::size_t>(t.numel()));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(lo, hi);
  for (float& v : host) v = u(rng);
  pose::from_host_floats(ctx, t, host);
}

// Device memory in use, 0 on the CPU.
std::size_t memory_in_use(const pose::DeviceContext& ctx) {
  return ctx.device() == pose::Device::CUDA ? pose::cuda_memory_in_use() : 0;
}

void bench(const pose::DeviceContext& ctx, const Options& o, int batch) {
  const std::size_t memory_before = memory_in_use(ctx);
  pose::PoseResNetSpec spec;
  spec.depth = o.depth;
  spec.base_width = o.base_width;
  spec.deconv_filters.assign(static_cast<std::size_t>(o.deconv_layers), o.deconv_filters);
  spec.deconv_kernels.assign(static_cast<std::size_t>(o.deconv_layers), 4);
  spec.input_height = o.height;
  spec.input_width = o.width;
  pose::PoseResNet net(spec, ctx, batch);
  pose::init_weights(net, 1);
  pose::TrainSection train = pose::default_config().train;
  train.precision = ctx.device() == pose::Device::CUDA ? "fp16" : "fp32";
  pose::Optimizer optimizer(net, train, 1);
  const pose::Device d = ctx.device();
  pose::Tensor target = pose::Tensor::empty(net.heatmaps().shape, pose::DType::F32, d);
  pose::Tensor weight = pose::Tensor::empty({batch, spec.num_joints}, pose::DType::F32, d);
  pose::Tensor loss = pose::Tensor::empty({1}, pose::DType::F32, d);
  fill_random(ctx, net.input(), -2, 2);
  fill_random(ctx, target, 0, 1);
  pose::ops::fill(ctx, weight, 1.0f);

  std::vector<double> ms;
  for (int i = 0; i < o.warmup + o.steps; ++i) {
    const auto start = std::chrono::steady_clock::now();
    net.forward(true);
    pose::ops::mse_loss_forward(ctx, loss, net.heatmaps(), target, weight);
    pose::ops::mse_loss_backward(ctx, net.heatmaps_grad(), net.heatmaps(), target, weight, optimizer.loss_scale());
    net.backward();
    optimizer.step(1e-3f);
    ctx.synchronize();
    if (i >= o.warmup)
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];
  const double used = static_cast<double>(memory_in_use(ctx) - memory_before) / (1 << 20);
  std::printf("%-4s ResNet-%d/w%d %dx%d batch %4d  %9.2f ms/step  %8.1f img/s  params %zu  activations %zu MiB  "
              "device memory %.0f MiB\n",
              o.device.c_str(), o.depth, o.base_width, o.height, o.width, batch, median, 1000.0 * batch / median,
              net.params().numel(), net.activation_bytes() >> 20, used);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    const pose::DeviceContext ctx =
        o.device == "cuda" ? pose::DeviceContext::cuda(0) : pose::DeviceContext::cpu();
    for (int batch : o.batches) bench(ctx, o, batch);
    return 0;
  } catch (const pose::Error& e) {
    std::fprintf(stderr, "pose_bench_train_step: %s\n", e.what());
    return 2;
  }
}
