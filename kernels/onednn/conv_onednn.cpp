// The CPU convolutions on oneDNN (f32, NHWC activations, weights {K,R,S,C}).
//
// oneDNN's logical order is NCHW for data and OIHW for weights; our layouts are its physical
// tags nhwc and ohwi (= acdb). Activations are passed as they are. The weights are given to
// each primitive in the layout it prefers (format tag `any`), reordered from ours on every call
// (the weights are small beside the activations), and the weight gradient is reordered back.
// Primitives are built once per shape and thread and kept: building one means JIT-compiling
// its kernel.
#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <memory>
#include <tuple>

#include "core/error.h"
#include "kernels/cpu/conv_impls.h"

namespace pose::cpu_ops::onednn {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;

enum class Op { Forward, BackwardData, BackwardFilter };

// Everything that decides a primitive: the op, input {n,h,w,c}, output {ho,wo,k}, kernel
// {r,s} and the geometry.
using Key = std::tuple<Op, memory::dim, memory::dim, memory::dim, memory::dim, memory::dim,
                       memory::dim, memory::dim, memory::dim, memory::dim, int, int>;

const dnnl::engine& engine() {
  static const dnnl::engine cpu(dnnl::engine::kind::cpu, 0);
  return cpu;
}

dnnl::stream& stream() {
  thread_local dnnl::stream s(engine());
  return s;
}

struct Shapes {
  memory::desc x, y;          // {N,C,H,W} nhwc, {N,K,Ho,Wo} nhwc
  memory::desc w_ours, w_any;  // {K,C,R,S} ohwi, and `any`
  memory::dims strides, pad_l, pad_r;
};

// x is the convolution's input (x or dx), y its output (y or dy), w its weight (or dw).
Shapes shapes_of(const TensorView& x, const TensorView& y, const TensorView& w, ConvGeometry g) {
  const memory::dims xd{x.shape[0], x.shape[3], x.shape[1], x.shape[2]};
  const memory::dims yd{y.shape[0], y.shape[3], y.shape[1], y.shape[2]};
  const memory::dims wd{w.shape[0], w.shape[3], w.shape[1], w.shape[2]};
  // oneDNN sizes the output as (in + pad_l + pad_r - kernel) / stride + 1, rounded down as ours,
  // so the same padding on both sides gives the same output size.
  return {memory::desc(xd, memory::data_type::f32, Tag::nhwc),
          memory::desc(yd, memory::data_type::f32, Tag::nhwc),
          memory::desc(wd, memory::data_type::f32, Tag::ohwi),
          memory::desc(wd, memory::data_type::f32, Tag::any),
          {g.stride, g.stride},
          {g.pad, g.pad},
          {g.pad, g.pad}};
}

Key key_of(Op op, const TensorView& x, const TensorView& y, const TensorView& w, ConvGeometry g) {
  return {op, x.shape[0], x.shape[1], x.shape[2], x.shape[3], y.shape[1], y.shape[2], y.shape[3],
          w.shape[1], w.shape[2], g.stride, g.pad};
}

dnnl::convolution_forward::primitive_desc forward_desc(const Shapes& s) {
  return {{dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, s.x, s.w_any,
           s.y, s.strides, s.pad_l, s.pad_r},
          engine()};
}

// One op's primitive, with the weight layout it wants and the reorders between it and ours.
struct Plan {
  dnnl::primitive conv;
  memory::desc x, y;  // the data tensors, as Shapes has them
  memory::desc w_ours, w_theirs;
  bool same_layout = true;
  dnnl::primitive to_theirs, to_ours;  // only when the layouts differ
  memory w_buffer;                     // the weight (or its gradient) in their layout
};

Plan make_plan(Op op, const Shapes& s) {
  Plan plan;
  plan.x = s.x;
  plan.y = s.y;
  plan.w_ours = s.w_ours;
  const auto fwd = forward_desc(s);
  if (op == Op::Forward) {
    plan.conv = dnnl::convolution_forward(fwd);
    plan.w_theirs = fwd.weights_desc();
  } else if (op == Op::BackwardData) {
    const dnnl::convolution_backward_data::primitive_desc pd(
        {dnnl::algorithm::convolution_direct, s.x, s.w_any, s.y, s.strides, s.pad_l, s.pad_r},
        engine(), fwd);
    plan.conv = dnnl::convolution_backward_data(pd);
    plan.w_theirs = pd.weights_desc();
  } else {
    const dnnl::convolution_backward_weights::primitive_desc pd(
        {dnnl::algorithm::convolution_direct, s.x, s.w_any, s.y, s.strides, s.pad_l, s.pad_r},
        engine(), fwd);
    plan.conv = dnnl::convolution_backward_weights(pd);
    plan.w_theirs = pd.diff_weights_desc();
  }
  plan.same_layout = plan.w_theirs == plan.w_ours;
  if (!plan.same_layout) {
    plan.w_buffer = memory(plan.w_theirs, engine());
    if (op == Op::BackwardFilter)
      plan.to_ours = dnnl::reorder({engine(), plan.w_theirs, engine(), plan.w_ours});
    else
      plan.to_theirs = dnnl::reorder({engine(), plan.w_ours, engine(), plan.w_theirs});
  }
  return plan;
}

Plan& plan_for(Op op, const TensorView& x, const TensorView& y, const TensorView& w,
               ConvGeometry g) {
  thread_local std::map<Key, std::unique_ptr<Plan>> plans;
  std::unique_ptr<Plan>& plan = plans[key_of(op, x, y, w, g)];
  if (!plan) {
    try {
      plan = std::make_unique<Plan>(make_plan(op, shapes_of(x, y, w, g)));
    } catch (const dnnl::error& e) {
      plans.erase(key_of(op, x, y, w, g));
      throw Error(cat("oneDNN could not build a convolution for input ", x.shape[1], "x",
                      x.shape[2], "x", x.shape[3], ", kernel ", w.shape[1], "x", w.shape[2],
                      ", stride ", g.stride, ": ", e.what()));
    }
  }
  return *plan;
}

memory wrap(const memory::desc& desc, const TensorView& t) {
  return memory(desc, engine(), const_cast<void*>(static_cast<const void*>(t.data)));
}

// Runs one convolution op: `x_arg`/`y_arg` name the data tensors' roles, `w_arg` the weight's.
void run(Op op, const TensorView& x, int x_arg, const TensorView& y, int y_arg,
         const TensorView& w, int w_arg, ConvGeometry g) {
  Plan& plan = plan_for(op, x, y, w, g);
  memory w_ours = wrap(plan.w_ours, w);
  memory w_used = plan.same_layout ? w_ours : plan.w_buffer;
  dnnl::stream& st = stream();
  if (!plan.same_layout && op != Op::BackwardFilter)
    plan.to_theirs.execute(st, {{DNNL_ARG_FROM, w_ours}, {DNNL_ARG_TO, w_used}});
  plan.conv.execute(st, {{x_arg, wrap(plan.x, x)}, {y_arg, wrap(plan.y, y)}, {w_arg, w_used}});
  if (!plan.same_layout && op == Op::BackwardFilter)
    plan.to_ours.execute(st, {{DNNL_ARG_FROM, w_used}, {DNNL_ARG_TO, w_ours}});
  st.wait();
}

}  // namespace

void conv_forward(const TensorView& y, const TensorView& x, const TensorView& w, ConvGeometry g) {
  run(Op::Forward, x, DNNL_ARG_SRC, y, DNNL_ARG_DST, w, DNNL_ARG_WEIGHTS, g);
}

void conv_backward_data(const TensorView& dx, const TensorView& dy, const TensorView& w,
                        ConvGeometry g) {
  run(Op::BackwardData, dx, DNNL_ARG_DIFF_SRC, dy, DNNL_ARG_DIFF_DST, w, DNNL_ARG_WEIGHTS, g);
}

void conv_backward_filter(const TensorView& dw, const TensorView& dy, const TensorView& x,
                          ConvGeometry g) {
  // oneDNN 2.6's AVX-512 weight gradient of a strided 1x1 conv whose input channels are not a
  // multiple of 16 writes past the scratch space it asks for (seen with 8 channels: 932 floats
  // written into 832), corrupting the heap; such convs (only in networks narrower than ours)
  // take the reference.
  const bool overruns = dw.shape[1] == 1 && dw.shape[2] == 1 && g.stride > 1 && x.shape[3] % 16 != 0;
  if (overruns) return reference::conv_backward_filter(dw, dy, x, g);
  run(Op::BackwardFilter, x, DNNL_ARG_SRC, dy, DNNL_ARG_DIFF_DST, dw, DNNL_ARG_DIFF_WEIGHTS, g);
}

}  // namespace pose::cpu_ops::onednn
