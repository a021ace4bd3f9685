#include "io/hdf5_check.h"

#include "core/error.h"

namespace pose {
namespace {

// HDF5 closes every file still open when the process exits. A file whose close already failed
// (its last writes hit a full disk) stays in HDF5's tables, and closing it again at exit
// crashes HDF5 1.10 (a segmentation fault after our clear message). Every file of ours is
// closed by its Handle, so the exit-time pass is not needed. Runs before main, ahead of any
// other HDF5 call, as H5dont_atexit requires.
const bool g_no_close_at_exit = [] {
  H5dont_atexit();
  return true;
}();

herr_t collect(unsigned index, const H5E_error2_t* entry, void* out) {
  auto* text = static_cast<std::string*>(out);
  if (index > 0) *text += "; ";
  std::string desc = entry->desc ? entry->desc : "";
  // Some descriptions span lines (the low-level write errors); messages here are one line.
  for (char& c : desc)
    if (c == '\n') c = ' ';
  *text += cat(entry->func_name ? entry->func_name : "?", ": ", desc);
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
