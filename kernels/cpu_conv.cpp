#include "kernels/cpu_conv.h"

#include "core/error.h"

namespace pose {
namespace {

CpuConv g_conv = onednn_available() ? CpuConv::Onednn : CpuConv::Reference;

}  // namespace

void set_cpu_conv(CpuConv conv) { g_conv = conv; }
CpuConv cpu_conv() { return g_conv; }

bool onednn_available() {
#ifdef POSE_WITH_ONEDNN
  return true;
#else
  return false;
#endif
}

CpuConv parse_cpu_conv(const std::string& name) {
  if (name == "auto") return onednn_available() ? CpuConv::Onednn : CpuConv::Reference;
  if (name == "reference") return CpuConv::Reference;
  if (name == "onednn") {
    if (!onednn_available())
      throw UserError("cpu_conv = onednn, but this build has no oneDNN (install libdnnl-dev and "
                      "build again), use auto or reference");
    return CpuConv::Onednn;
  }
  throw UserError(cat("unknown CPU convolution '", name, "'; accepted: auto, onednn, reference"));
}

const char* to_string(CpuConv conv) { return conv == CpuConv::Onednn ? "onednn" : "reference"; }

}  // namespace pose
