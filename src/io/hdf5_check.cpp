#include "io/hdf5_check.h"

#include "core/error.h"

namespace pose {
namespace {

herr_t collect(unsigned index, const H5E_error2_t* entry, void* out) {
  auto* text = static_cast<std::string*>(out);
  if (index > 0) *text += "; ";
  *text += cat(entry->func_name ? entry->func_name : "?", ": ", entry->desc ? entry->desc : "");
  return 0;
}

}  // namespace

void quiet_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string hdf5_error_stack() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &text);
  return text.empty() ? "no details on the HDF5 error stack" : text;
}

long long check_hdf5(long long result, const char* call, const char* file, int line) {
  if (result >= 0) return result;
  const std::string stack = hdf5_error_stack();
  H5Eclear2(H5E_DEFAULT);
  throw Error(cat(source_location(file, line), ": HDF5 call failed: ", call, ": ", stack));
}

}  // namespace pose
