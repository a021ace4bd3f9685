// Small RAII helpers over the HDF5 C API for the few things this project stores: whole
// numeric datasets, scalar attributes, groups. Every call is checked (POSE_H5_CHECK).
// HDF5 (serial build) is not thread-safe: use these from one thread at a time.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pose::h5 {

// Owns an HDF5 identifier and closes it with the right H5?close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t get() const { return id_; }

 private:
  hid_t id_ = -1;
};

Handle create_file(const std::string& path);  // truncates
Handle open_file(const std::string& path);    // read-only; UserError naming the path
Handle create_group(const Handle& parent, const std::string& name);

template <typename T>
hid_t native_type();  // float, double, int32, int64, uint64, uint8

// A dataset of `dims` holding data (row-major); contiguous layout.
template <typename T>
void write_dataset(const Handle& parent, const std::string& name, const std::vector<hsize_t>& dims,
                   const T* data);
// A contiguous 1-D byte dataset of `size` bytes to be filled with write_bytes.
Handle create_byte_dataset(const Handle& parent, const std::string& name, hsize_t size);
void write_bytes(const Handle& dataset, hsize_t offset, const std::uint8_t* data, hsize_t size);

// Reads a whole dataset; `dims` receives its shape.
template <typename T>
std::vector<T> read_dataset(const Handle& file, const std::string& path, std::vector<hsize_t>& dims);

void write_attribute(const Handle& object, const std::string& name, const std::string& value);
void write_attribute(const Handle& object, const std::string& name, std::int64_t value);
// A fixed-length or variable-length (h5py's default for str) string attribute.
std::string read_string_attribute(const Handle& object, const std::string& name);
std::int64_t read_int_attribute(const Handle& object, const std::string& name);

}  // namespace pose::h5
