// Which implementation runs the CPU backend's convolutions, chosen at run time:
//   reference  im2col + OpenBLAS sgemm (kernels/cpu/conv_reference.cpp): the plain path that
//              the gradient checks and the GPU parity tests compare against
//   onednn     oneDNN's convolution primitives (kernels/onednn/conv_onednn.cpp) on NHWC data,
//              several times faster on small channel counts; built when libdnnl is found
// Both compute the same sums in a different order (results agree to float rounding).
#pragma once

#include <string>

namespace pose {

enum class CpuConv { Reference, Onednn };

void set_cpu_conv(CpuConv conv);
CpuConv cpu_conv();

// Whether this build has the oneDNN convolutions.
bool onednn_available();

// "auto" (onednn when built with it, else reference) | "onednn" | "reference"; a UserError
// names the accepted values, or says that this build lacks oneDNN.
CpuConv parse_cpu_conv(const std::string& name);
const char* to_string(CpuConv conv);

}  // namespace pose
