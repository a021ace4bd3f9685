#include "model/weights.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "core/error.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"
#include "model/torch_layout.h"

namespace pose {
namespace {

bool in_backbone(const std::string& name) {
  return name.rfind("conv1.", 0) == 0 || name.rfind("bn1.", 0) == 0 || name.rfind("layer", 0) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Initial value of one tensor of `info` (its kind and PyTorch name say which rule applies).
void init_tensor(const ParamInfo& info, std::mt19937_64& rng, float* out) {
  const std::int64_t n = info.shape.numel();
  if (info.kind == ParamKind::Vector) {
    // Every vector named .weight is a BN scale (conv weights are not vectors).
    const bool one = ends_with(info.name, ".weight") || ends_with(info.name, ".running_var");
    std::fill(out, out + n, one ? 1.0f : 0.0f);
    return;
  }
  double std = 0.001;
  if (in_backbone(info.name)) {
    const double fan_out = static_cast<double>(info.shape[0] * info.shape[1] * info.shape[2]);
    std = std::sqrt(2.0 / fan_out);
  }
  std::normal_distribution<float> normal(0.0f, static_cast<float>(std));
  // Draw in PyTorch's element order so a tensor's values do not depend on our layout.
  std::vector<float> torch(static_cast<std::size_t>(n));
  for (float& v : torch) v = normal(rng);
  from_torch_layout(info, torch.data(), out);
}

void init_store(const PoseResNet& net, const ParamStore& store, std::mt19937_64& rng) {
  std::vector<float> host(store.numel(), 0.0f);
  for (const ParamInfo& info : store.infos()) init_tensor(info, rng, host.data() + info.offset);
  from_host_floats(net.context(), store.all_master(), host);
}

// Copies the file's tensors into `store` (params: from file.params, else file.buffers); adds
// the names it took to `used` and returns how many.
std::size_t load_store(const PoseResNet& net, const ParamStore& store, const WeightFile& file, bool params,
                       LoadMode mode, std::set<std::string>& used) {
  std::vector<float> host = to_host_floats(net.context(), store.all_master());
  std::size_t loaded = 0;
  for (const ParamInfo& info : store.infos()) {
    const NamedTensor* t = params ? file.find_param(info.name) : file.find_buffer(info.name);
    if (!t) {
      if (mode == LoadMode::Whole || in_backbone(info.name))
        throw UserError(cat("weight file (", file.source, "): missing tensor '", info.name, "'"));
      continue;
    }
    const std::vector<std::int64_t> want = torch_shape(info);
    if (t->shape != want) {
      std::string got, expected;
      for (auto d : t->shape) got += cat(got.empty() ? "" : "x", d);
      for (auto d : want) expected += cat(expected.empty() ? "" : "x", d);
      throw UserError(cat("weight file (", file.source, "): tensor '", info.name, "' has shape [", got,
                          "] but the network needs [", expected, "]"));
    }
    from_torch_layout(info, t->values.data(), host.data() + info.offset);
    used.insert(info.name);
    ++loaded;
  }
  from_host_floats(net.context(), store.all_master(), host);
  return loaded;
}

}  // namespace

void init_weights(const PoseResNet& net, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  init_store(net, net.params(), rng);
  init_store(net, net.stats(), rng);
  net.params().refresh_compute(net.context());
}

std::size_t load_weights(const PoseResNet& net, const WeightFile& file, LoadMode mode) {
  std::set<std::string> used;
  std::size_t loaded = load_store(net, net.params(), file, true, mode, used);
  loaded += load_store(net, net.stats(), file, false, mode, used);
  if (mode == LoadMode::Whole) {
    for (const auto* group : {&file.params, &file.buffers})
      for (const NamedTensor& t : *group)
        if (!used.count(t.name))
          throw UserError(cat("weight file (", file.source, "): tensor '", t.name,
                              "' is not part of this network (", net.spec().str(), ")"));
  }
  net.params().refresh_compute(net.context());
  return loaded;
}

void copy_weights(const PoseResNet& from, const PoseResNet& to) {
  POSE_CHECK(from.params().numel() == to.params().numel() && from.stats().numel() == to.stats().numel(),
             "copy_weights: the networks differ (", from.spec().str(), " vs ", to.spec().str(), ")");
  const DeviceContext& ctx = to.context();
  ops::copy(ctx, to.params().all_master(), from.params().all_master());
  ops::copy(ctx, to.stats().all_master(), from.stats().all_master());
  to.params().refresh_compute(ctx);
}

WeightFile export_weights(const PoseResNet& net, const std::string& source) {
  WeightFile file;
  file.source = source;
  file.params = to_named_tensors(net.params(), to_host_floats(net.context(), net.params().all_master()));
  file.buffers = to_named_tensors(net.stats(), to_host_floats(net.context(), net.stats().all_master()));
  return file;
}

std::vector<NamedTensor> to_named_tensors(const ParamStore& store, const std::vector<float>& flat) {
  POSE_CHECK(flat.size() == store.numel(), "to_named_tensors: ", flat.size(), " values for a store of ",
             store.numel());
  std::vector<NamedTensor> out;
  for (const ParamInfo& info : store.infos()) {
    NamedTensor t{info.name, torch_shape(info), std::vector<float>(static_cast<std::size_t>(info.shape.numel()))};
    to_torch_layout(info, flat.data() + info.offset, t.values.data());
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<float> from_named_tensors(const ParamStore& store, const std::vector<NamedTensor>& tensors,
                                      const std::string& what) {
  std::vector<float> flat(store.numel(), 0.0f);
  for (const ParamInfo& info : store.infos()) {
    const auto t = std::find_if(tensors.begin(), tensors.end(), [&](const NamedTensor& n) { return n.name == info.name; });
    if (t == tensors.end()) throw UserError(cat(what, ": missing tensor '", info.name, "'"));
    if (t->shape != torch_shape(info)) throw UserError(cat(what, ": tensor '", info.name, "' has the wrong shape"));
    from_torch_layout(info, t->values.data(), flat.data() + info.offset);
  }
  return flat;
}

}  // namespace pose
