// pose_bench_train_step: time of one PoseResNet training step (forward, loss, backward,
// optimiser; no data loading, no all-reduce) on random inputs, and the memory it needs.
// Prints the median over --steps after --warmup steps, per batch size given.
//   pose_bench_train_step --device cuda --depth 50 --batch 64,128 --input 192x256
//   pose_bench_train_step --device cpu --depth 18 --base-width 16 --deconv-filters 64 --input 96x128 --batch 8
// --eval times evaluation instead: two inference forwards per step (the flip test), no
// gradients. --kernels simple,vectorized,fused times each CUDA kernel set
// (kernels/gpu_kernels.h) in turn. --op-times adds a table of where a step's time goes, by op
// class (kernels/op_timer.h), from steps run after the timed ones. --deconv-layers N: N
// deconvolutions of --deconv-filters each (3 by default). --cpu-conv chooses the CPU backend's
// convolutions (kernels/cpu_conv.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/cli_values.h"
#include "core/error.h"
#include "kernels/cpu_conv.h"
#include "kernels/gpu_kernels.h"
#include "kernels/host_transfer.h"
#include "kernels/op_timer.h"
#include "kernels/ops.h"
#include "model/weights.h"
#include "train/optimizer.h"

namespace {

constexpr const char* kUsage =
    "usage: pose_bench_train_step [--device cuda|cpu] [--depth N] [--base-width N]\n"
    "                             [--deconv-filters N] [--deconv-layers N] [--batch N,N,...]\n"
    "                             [--input WxH]\n"
    "                             [--steps N] [--warmup N] [--eval]\n"
    "                             [--kernels simple,vectorized,fused] [--cpu-conv C] [--op-times]\n"
    "Median time of one training step (forward, loss, backward, Adam) of PoseResNet on random\n"
    "inputs, and its memory, per batch size.\n"
    "  --device D          cuda (default) or cpu\n"
    "  --depth N           ResNet depth: 18, 34, 50 (default), 101, 152\n"
    "  --base-width N      channels of the first stage (default 64)\n"
    "  --deconv-filters N  filters of each deconvolution (default 256)\n"
    "  --deconv-layers N   deconvolutions in the head (default 3)\n"
    "  --batch N,N,...     batch sizes to time (default 64)\n"
    "  --input WxH         input width x height (default 192x256)\n"
    "  --steps N           timed steps (default 30), after --warmup N (default 10)\n"
    "  --eval              time evaluation with flip test (two inference forwards) instead\n"
    "  --kernels K,K,...   kernel sets to time in turn: simple, vectorized, fused (default: fused\n"
    "                      on the CPU, simple on a GPU)\n"
    "  --cpu-conv C        CPU convolutions: auto (default), onednn or reference\n"
    "  --op-times          also print where a training step's time goes, by op class\n"
    "  --help              this text\n";

struct Options {
  bool help = false;
  std::string device = "cuda";
  int depth = 50;
  int base_width = 64;
  int deconv_filters = 256;
  int deconv_layers = 3;
  std::vector<int> batches{64};
  int height = 256, width = 192;
  int steps = 30, warmup = 10;
  bool eval = false;
  bool op_times = false;
  std::vector<pose::GpuKernels> kernels;  // default: fused on the CPU, simple on a GPU (run.gpu_kernels = auto)
};

// "simple,fused" -> the kernel sets; a wrong name is a usage error naming the flag.
std::vector<pose::GpuKernels> kernel_sets(const std::string& flag, const std::string& text) {
  std::vector<pose::GpuKernels> sets;
  std::stringstream in(text);
  for (std::string name; std::getline(in, name, ',');) {
    try {
      sets.push_back(pose::parse_gpu_kernels(name));
    } catch (const pose::UserError& e) {
      throw pose::UserError(pose::cat(flag, ": ", e.what()));
    }
  }
  if (sets.empty()) throw pose::UserError(pose::cat(flag, " needs at least one kernel set"));
  return sets;
}

Options parse(int argc, char** argv) {
  namespace cli = pose::cli;
  Options o;
  const std::vector<std::string> args = cli::split_assignments(argc, argv);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw pose::UserError(pose::cat(arg, " needs a value"));
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") o.help = true;
    else if (arg == "--device") o.device = value();
    else if (arg == "--depth") o.depth = cli::whole_number(arg, value(), 18, 152);
    else if (arg == "--base-width") o.base_width = cli::whole_number(arg, value(), 1, 4096);
    else if (arg == "--deconv-filters") o.deconv_filters = cli::whole_number(arg, value(), 1, 4096);
    else if (arg == "--deconv-layers") o.deconv_layers = cli::whole_number(arg, value(), 1, 5);
    else if (arg == "--batch") o.batches = cli::whole_numbers(arg, value(), 1, 65536);
    else if (arg == "--input") {
      const cli::ImageSize size = cli::image_size(arg, value());
      o.width = size.width;
      o.height = size.height;
    } else if (arg == "--steps") o.steps = cli::whole_number(arg, value(), 1, 1000000);
    else if (arg == "--warmup") o.warmup = cli::whole_number(arg, value(), 0, 1000000);
    else if (arg == "--eval") o.eval = true;
    else if (arg == "--op-times") o.op_times = true;
    else if (arg == "--kernels") o.kernels = kernel_sets(arg, value());
    else if (arg == "--cpu-conv") {
      try {
        pose::set_cpu_conv(pose::parse_cpu_conv(value()));
      } catch (const pose::UserError& e) {
        throw pose::UserError(pose::cat(arg, ": ", e.what()));
      }
    }
    else throw pose::UserError(pose::cat("unknown option '", arg, "'"));
  }
  if (o.device != "cuda" && o.device != "cpu")
    throw pose::UserError(pose::cat("--device wants cuda or cpu, got '", o.device, "'"));
  if (o.kernels.empty()) o.kernels = {o.device == "cpu" ? pose::GpuKernels::Fused : pose::GpuKernels::Simple};
  return o;
}

// The implementation column: the CUDA kernel set, or the CPU convolutions and kernel set.
std::string variant(const Options& o) {
  if (o.device == "cuda") return pose::to_string(pose::gpu_kernels());
  return pose::cat(pose::to_string(pose::cpu_conv()), "/", pose::to_string(pose::gpu_kernels()));
}

void fill_random(const pose::DeviceContext& ctx, const pose::TensorView& t, float lo, float hi) {
  std::vector<float> host(static_cast<std::size_t>(t.numel()));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(lo, hi);
  for (float& v : host) v = u(rng);
  pose::from_host_floats(ctx, t, host);
}

// The per-op table: op classes by time per step, their share of the sum, and the sum beside the
// step's median (on a GPU a gap between them is time the GPU waited for the host).
void print_op_times(const std::vector<pose::op_timer::Row>& rows, int steps, double step_ms) {
  std::vector<pose::op_timer::Row> sorted = rows;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.ms > b.ms; });
  double total = 0;
  for (const auto& r : sorted) total += r.ms;
  std::printf("  %-36s %9s %11s %7s\n", "op class", "calls/step", "ms/step", "share");
  for (const auto& r : sorted)
    std::printf("  %-36s %9.1f %11.3f %6.1f%%\n", r.label.c_str(), static_cast<double>(r.calls) / steps,
                r.ms / steps, 100.0 * r.ms / total);
  std::printf("  %-36s %9s %11.3f   (step median %.3f ms)\n", "sum of timed ops", "", total / steps, step_ms);
}

// Device memory in use, 0 on the CPU.
std::size_t memory_in_use(const pose::DeviceContext& ctx) {
  return ctx.device() == pose::Device::CUDA ? pose::cuda_memory_in_use() : 0;
}

pose::PoseResNetSpec spec_of(const Options& o) {
  pose::PoseResNetSpec spec;
  spec.depth = o.depth;
  spec.base_width = o.base_width;
  spec.deconv_filters.assign(static_cast<std::size_t>(o.deconv_layers), o.deconv_filters);
  spec.deconv_kernels.assign(static_cast<std::size_t>(o.deconv_layers), 4);
  spec.input_height = o.height;
  spec.input_width = o.width;
  return spec;
}

// Median ms of `steps` calls of fn after `warmup`, each waited for.
template <typename Fn>
double median_ms(const pose::DeviceContext& ctx, const Options& o, Fn&& fn) {
  std::vector<double> ms;
  for (int i = 0; i < o.warmup + o.steps; ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    ctx.synchronize();
    if (i >= o.warmup)
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void bench_eval(const pose::DeviceContext& ctx, const Options& o, int batch) {
  const std::size_t memory_before = memory_in_use(ctx);
  pose::PoseResNet net(spec_of(o), ctx, batch, /*trainable=*/false);
  pose::init_weights(net, 1);
  fill_random(ctx, net.input(), -2, 2);
  const double median = median_ms(ctx, o, [&] {
    net.forward(false);  // the image
    net.forward(false);  // and its mirror image (the input's content does not change the time)
  });
  const double used = static_cast<double>(memory_in_use(ctx) - memory_before) / (1 << 20);
  std::printf("%-4s %-17s ResNet-%d/w%d %dx%d batch %4d  %9.2f ms/eval batch with flip (2 forwards)  %8.1f img/s  "
              "device memory %.0f MiB\n",
              o.device.c_str(), variant(o).c_str(), o.depth, o.base_width, o.width, o.height,
              batch, median, 1000.0 * batch / median, used);
}

void bench(const pose::DeviceContext& ctx, const Options& o, int batch) {
  const std::size_t memory_before = memory_in_use(ctx);
  const pose::PoseResNetSpec spec = spec_of(o);
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

  const auto train_step = [&] {
    net.forward(true);
    pose::ops::mse_loss_forward(ctx, loss, net.heatmaps(), target, weight);
    pose::ops::mse_loss_backward(ctx, net.heatmaps_grad(), net.heatmaps(), target, weight, optimizer.loss_scale());
    net.backward();
    optimizer.step(1e-3f);
  };
  const double median = median_ms(ctx, o, train_step);
  const double used = static_cast<double>(memory_in_use(ctx) - memory_before) / (1 << 20);
  std::printf("%-4s %-17s ResNet-%d/w%d %dx%d batch %4d  %9.2f ms/step  %8.1f img/s  params %zu  activations %zu MiB  "
              "device memory %.0f MiB\n",
              o.device.c_str(), variant(o).c_str(), o.depth, o.base_width, o.width, o.height,
              batch, median, 1000.0 * batch / median, net.params().numel(), net.activation_bytes() >> 20, used);
  if (o.op_times) {
    pose::op_timer::enable(true);
    for (int i = 0; i < o.steps; ++i) train_step();
    const std::vector<pose::op_timer::Row> rows = pose::op_timer::collect(ctx);
    pose::op_timer::enable(false);
    print_op_times(rows, o.steps, median);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_bench_train_step: %s\n%s", e.what(), kUsage);
    return 2;
  }
  if (o.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    const pose::DeviceContext ctx =
        o.device == "cuda" ? pose::DeviceContext::cuda(0) : pose::DeviceContext::cpu();
    for (const pose::GpuKernels kernels : o.kernels) {
      pose::set_gpu_kernels(kernels);
      for (int batch : o.batches) o.eval ? bench_eval(ctx, o, batch) : bench(ctx, o, batch);
    }
    return 0;
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_bench_train_step: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose_bench_train_step: internal error: %s\n", e.what());
    return 1;
  }
}
