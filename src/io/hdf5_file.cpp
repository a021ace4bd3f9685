#include "io/hdf5_file.h"

#include <filesystem>
#include <system_error>

#include "core/error.h"
#include "io/hdf5_check.h"

namespace pose::h5 {

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    this->~Handle();
    id_ = other.id_;
    other.id_ = -1;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = -1;
}

namespace {
// A creation property list of `kind` (file, group, dataset) that stores no object times:
// HDF5 would otherwise write the creation time into every object header, and the same data
// written twice would give different files.
Handle untimed_creation_list(hid_t kind) {
  Handle list(static_cast<hid_t>(POSE_H5_CHECK(H5Pcreate(kind))));
  POSE_H5_CHECK(H5Pset_obj_track_times(list.get(), false));
  return list;
}
}  // namespace

Handle create_file(const std::string& path) {
  quiet_hdf5_errors();
  const Handle creation = untimed_creation_list(H5P_FILE_CREATE);
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.get(), H5P_DEFAULT);
  if (id < 0) throw UserError(cat("cannot create HDF5 file '", path, "': ", hdf5_error_stack()));
  return Handle(id);
}

Handle open_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw UserError(cat("'", path, "' does not exist or is not a file"));
  quiet_hdf5_errors();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw UserError(cat("cannot open HDF5 file '", path, "': ", hdf5_error_stack()));
  return Handle(id);
}

Handle create_group(const Handle& parent, const std::string& name) {
  const Handle creation = untimed_creation_list(H5P_GROUP_CREATE);
  return Handle(static_cast<hid_t>(
      POSE_H5_CHECK(H5Gcreate2(parent.get(), name.c_str(), H5P_DEFAULT, creation.get(), H5P_DEFAULT))));
}

template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }

template <typename T>
void write_dataset(const Handle& parent, const std::string& name, const std::vector<hsize_t>& dims,
                   const T* data) {
  Handle space(static_cast<hid_t>(POSE_H5_CHECK(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr))));
  const Handle creation = untimed_creation_list(H5P_DATASET_CREATE);
  Handle set(static_cast<hid_t>(POSE_H5_CHECK(H5Dcreate2(parent.get(), name.c_str(), native_type<T>(), space.get(),
                                                         H5P_DEFAULT, creation.get(), H5P_DEFAULT))));
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  if (count > 0) POSE_H5_CHECK(H5Dwrite(set.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data));
}

Handle create_byte_dataset(const Handle& parent, const std::string& name, hsize_t size) {
  Handle space(static_cast<hid_t>(POSE_H5_CHECK(H5Screate_simple(1, &size, nullptr))));
  // Contiguous, allocated at creation: the bytes have one fixed position in the file.
  const Handle plist = untimed_creation_list(H5P_DATASET_CREATE);
  POSE_H5_CHECK(H5Pset_layout(plist.get(), H5D_CONTIGUOUS));
  POSE_H5_CHECK(H5Pset_alloc_time(plist.get(), H5D_ALLOC_TIME_EARLY));
  POSE_H5_CHECK(H5Pset_fill_time(plist.get(), H5D_FILL_TIME_NEVER));
  const hid_t id = static_cast<hid_t>(POSE_H5_CHECK(H5Dcreate2(parent.get(), name.c_str(), H5T_NATIVE_UINT8,
                                                              space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT)));
  return Handle(id);
}

void write_bytes(const Handle& dataset, hsize_t offset, const std::uint8_t* data, hsize_t size) {
  if (size == 0) return;
  Handle file_space(static_cast<hid_t>(POSE_H5_CHECK(H5Dget_space(dataset.get()))));
  POSE_H5_CHECK(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &offset, nullptr, &size, nullptr));
  Handle memory_space(static_cast<hid_t>(POSE_H5_CHECK(H5Screate_simple(1, &size, nullptr))));
  POSE_H5_CHECK(H5Dwrite(dataset.get(), H5T_NATIVE_UINT8, memory_space.get(), file_space.get(), H5P_DEFAULT, data));
}

template <typename T>
std::vector<T> read_dataset(const Handle& file, const std::string& path, std::vector<hsize_t>& dims) {
  quiet_hdf5_errors();
  const hid_t id = H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT);
  if (id < 0) throw UserError(cat("dataset '", path, "' is missing or unreadable"));
  Handle set(id);
  Handle space(static_cast<hid_t>(POSE_H5_CHECK(H5Dget_space(set.get()))));
  const int rank = static_cast<int>(POSE_H5_CHECK(H5Sget_simple_extent_ndims(space.get())));
  dims.assign(static_cast<std::size_t>(rank), 0);
  POSE_H5_CHECK(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr));
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  std::vector<T> data(static_cast<std::size_t>(count));
  if (count > 0) POSE_H5_CHECK(H5Dread(set.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()));
  return data;
}

template void write_dataset<float>(const Handle&, const std::string&, const std::vector<hsize_t>&, const float*);
template void write_dataset<double>(const Handle&, const std::string&, const std::vector<hsize_t>&, const double*);
template void write_dataset<std::int32_t>(const Handle&, const std::string&, const std::vector<hsize_t>&, const std::int32_t*);
template void write_dataset<std::int64_t>(const Handle&, const std::string&, const std::vector<hsize_t>&, const std::int64_t*);
template void write_dataset<std::uint64_t>(const Handle&, const std::string&, const std::vector<hsize_t>&, const std::uint64_t*);
template std::vector<float> read_dataset<float>(const Handle&, const std::string&, std::vector<hsize_t>&);
template std::vector<double> read_dataset<double>(const Handle&, const std::string&, std::vector<hsize_t>&);
template std::vector<std::int32_t> read_dataset<std::int32_t>(const Handle&, const std::string&, std::vector<hsize_t>&);
template std::vector<std::int64_t> read_dataset<std::int64_t>(const Handle&, const std::string&, std::vector<hsize_t>&);
template std::vector<std::uint64_t> read_dataset<std::uint64_t>(const Handle&, const std::string&, std::vector<hsize_t>&);

void write_attribute(const Handle& object, const std::string& name, const std::string& value) {
  Handle type(static_cast<hid_t>(POSE_H5_CHECK(H5Tcopy(H5T_C_S1))));
  POSE_H5_CHECK(H5Tset_size(type.get(), value.empty() ? 1 : value.size()));
  Handle space(static_cast<hid_t>(POSE_H5_CHECK(H5Screate(H5S_SCALAR))));
  Handle attr(static_cast<hid_t>(POSE_H5_CHECK(
      H5Acreate2(object.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT))));
  POSE_H5_CHECK(H5Awrite(attr.get(), type.get(), value.empty() ? "" : value.c_str()));
}

void write_attribute(const Handle& object, const std::string& name, std::int64_t value) {
  Handle space(static_cast<hid_t>(POSE_H5_CHECK(H5Screate(H5S_SCALAR))));
  Handle attr(static_cast<hid_t>(POSE_H5_CHECK(
      H5Acreate2(object.get(), name.c_str(), H5T_NATIVE_INT64, space.get(), H5P_DEFAULT, H5P_DEFAULT))));
  POSE_H5_CHECK(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value));
}

namespace {
Handle open_attribute(const Handle& object, const std::string& name) {
  const hid_t id = H5Aopen(object.get(), name.c_str(), H5P_DEFAULT);
  if (id < 0) throw UserError(cat("attribute '", name, "' is missing"));
  return Handle(id);
}
}  // namespace

std::string read_string_attribute(const Handle& object, const std::string& name) {
  Handle attr = open_attribute(object, name);
  Handle type(static_cast<hid_t>(POSE_H5_CHECK(H5Aget_type(attr.get()))));
  if (H5Tget_class(type.get()) != H5T_STRING) throw UserError(cat("attribute '", name, "' is not a string"));
  if (POSE_H5_CHECK(H5Tis_variable_str(type.get())) > 0) {  // h5py writes Python str this way
    char* text = nullptr;
    POSE_H5_CHECK(H5Aread(attr.get(), type.get(), &text));
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(type.get());
  std::string value(size, '\0');
  POSE_H5_CHECK(H5Aread(attr.get(), type.get(), value.data()));
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

std::int64_t read_int_attribute(const Handle& object, const std::string& name) {
  Handle attr = open_attribute(object, name);
  Handle type(static_cast<hid_t>(POSE_H5_CHECK(H5Aget_type(attr.get()))));
  if (H5Tget_class(type.get()) != H5T_INTEGER) throw UserError(cat("attribute '", name, "' is not an integer"));
  std::int64_t value = 0;
  POSE_H5_CHECK(H5Aread(attr.get(), H5T_NATIVE_INT64, &value));
  return value;
}

}  // namespace pose::h5
