#include "model/weight_file.h"

#include <hdf5.h>

#include <filesystem>
#include <system_error>

#include "core/error.h"
#include "io/file.h"
#include "io/hdf5_check.h"
#include "io/hdf5_file.h"

namespace pose {

std::int64_t NamedTensor::numel() const {
  std::int64_t count = 1;
  for (std::int64_t d : shape) count *= d;
  return count;
}

namespace {

const NamedTensor* find_by_name(const std::vector<NamedTensor>& tensors, const std::string& name) {
  for (const NamedTensor& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

h5::Handle owned(long long checked_id) { return h5::Handle(static_cast<hid_t>(checked_id)); }

// The type in numpy's words ("float64", "int32"), for messages.
std::string type_name(hid_t type) {
  const std::size_t bits = H5Tget_size(type) * 8;
  switch (H5Tget_class(type)) {
    case H5T_FLOAT: return cat("float", bits);
    case H5T_INTEGER: return cat(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int", bits);
    case H5T_STRING: return "a string";
    default: return "a non-numeric type";
  }
}

// Member names of `group` in the order they were written when the writer tracked it (this
// file's writer and h5py's track_order=True do: /params then follows the state dict), else
// in name order.
std::vector<std::string> member_names(const h5::Handle& group) {
  const h5::Handle creation = owned(POSE_H5_CHECK(H5Gget_create_plist(group.get())));
  unsigned order_flags = 0;
  POSE_H5_CHECK(H5Pget_link_creation_order(creation.get(), &order_flags));
  const H5_index_t index = (order_flags & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  H5G_info_t info{};
  POSE_H5_CHECK(H5Gget_info(group.get(), &info));
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const auto length = static_cast<std::size_t>(POSE_H5_CHECK(
        H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT)));
    std::string name(length + 1, '\0');
    POSE_H5_CHECK(H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT));
    name.resize(length);
    names.push_back(name);
  }
  return names;
}

NamedTensor read_tensor(const h5::Handle& group, const std::string& group_name, const std::string& name) {
  const std::string where = cat("'/", group_name, "/", name, "'");
  const h5::Handle object = owned(POSE_H5_CHECK(H5Oopen(group.get(), name.c_str(), H5P_DEFAULT)));
  if (H5Iget_type(object.get()) != H5I_DATASET) throw UserError(cat(where, " is not a dataset"));
  const h5::Handle type = owned(POSE_H5_CHECK(H5Dget_type(object.get())));
  // Reading converts any number type to float silently; a float64 or fp16 file is more
  // likely a converter mistake than intended, so it is refused.
  if (H5Tget_class(type.get()) != H5T_FLOAT || H5Tget_size(type.get()) != 4)
    throw UserError(cat("dataset ", where, " is ", type_name(type.get()), "; weight files hold float32"));
  NamedTensor tensor;
  tensor.name = name;
  std::vector<hsize_t> dims;
  tensor.values = h5::read_dataset<float>(group, name, dims);
  tensor.shape.assign(dims.begin(), dims.end());
  return tensor;
}

std::vector<NamedTensor> read_group(const h5::Handle& file, const std::string& group_name) {
  const hid_t id = H5Gopen2(file.get(), group_name.c_str(), H5P_DEFAULT);
  if (id < 0) throw UserError(cat("group '/", group_name, "' is missing"));
  const h5::Handle group(id);
  std::vector<NamedTensor> tensors;
  for (const std::string& name : member_names(group)) tensors.push_back(read_tensor(group, group_name, name));
  return tensors;
}

void check_header(const h5::Handle& file) {
  const std::string format = h5::read_string_attribute(file, "format");
  if (format != kWeightFileFormat)
    throw UserError(cat("attribute 'format' is '", format, "', expected '", kWeightFileFormat,
                        "': not a weight file"));
  const std::int64_t version = h5::read_int_attribute(file, "version");
  if (version > kWeightFileVersion)
    throw UserError(cat("format version ", version, " is newer than this program reads (",
                        kWeightFileVersion, "); use a newer program"));
  if (version != kWeightFileVersion)
    throw UserError(cat("format version ", version, ", expected ", kWeightFileVersion));
}

// Runs `read` on the opened file; any failure inside the file becomes a UserError naming it
// (the user can replace a bad file; an HDF5 failure there is the file's problem).
template <typename Read>
auto read_from(const std::string& path, Read read) {
  const h5::Handle file = h5::open_file(path);
  try {
    check_header(file);
    return read(file);
  } catch (const Error& e) {
    throw UserError(cat("weight file '", path, "': ", e.what()));
  }
}

// A group that remembers the order of its members and stores no times (see hdf5_file.cpp).
h5::Handle create_ordered_group(const h5::Handle& file, const std::string& name) {
  const h5::Handle creation = owned(POSE_H5_CHECK(H5Pcreate(H5P_GROUP_CREATE)));
  POSE_H5_CHECK(H5Pset_obj_track_times(creation.get(), false));
  POSE_H5_CHECK(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED));
  return owned(POSE_H5_CHECK(H5Gcreate2(file.get(), name.c_str(), H5P_DEFAULT, creation.get(), H5P_DEFAULT)));
}

}  // namespace

const NamedTensor* WeightFile::find_param(const std::string& name) const { return find_by_name(params, name); }

const NamedTensor* WeightFile::find_buffer(const std::string& name) const { return find_by_name(buffers, name); }

void write_weight_group(const h5::Handle& file, const std::string& name, const std::vector<NamedTensor>& tensors) {
  const h5::Handle group = create_ordered_group(file, name);
  for (const NamedTensor& t : tensors) {
    POSE_CHECK(!t.name.empty() && t.name.find('/') == std::string::npos, "tensor name '", t.name,
               "' is empty or holds '/'");
    std::vector<hsize_t> dims;
    for (std::int64_t d : t.shape) {
      POSE_CHECK(d >= 0, "tensor '", t.name, "' has a negative dimension");
      dims.push_back(static_cast<hsize_t>(d));
    }
    POSE_CHECK(static_cast<std::int64_t>(t.values.size()) == t.numel(), "tensor '", t.name, "' has ",
               t.values.size(), " values for ", t.numel(), " elements");
    h5::write_dataset<float>(group, t.name, dims, t.values.data());
  }
}

WeightFile read_weight_file(const std::string& path) {
  return read_from(path, [](const h5::Handle& file) {
    WeightFile weights;
    // `source` is informative only; a file without it is still usable.
    if (H5Aexists(file.get(), "source") > 0) weights.source = h5::read_string_attribute(file, "source");
    weights.params = read_group(file, "params");
    weights.buffers = read_group(file, "buffers");
    return weights;
  });
}

std::vector<NamedTensor> read_weight_group(const std::string& path, const std::string& group) {
  return read_from(path, [&group](const h5::Handle& file) { return read_group(file, group); });
}

void write_weight_file(const std::string& path, const WeightFile& weights,
                       const std::function<void(const h5::Handle& file)>& extra) {
  const std::string partial = temporary_path_for(path);
  try {
    {
      const h5::Handle file = h5::create_file(partial);
      h5::write_attribute(file, "format", std::string(kWeightFileFormat));
      h5::write_attribute(file, "version", kWeightFileVersion);
      h5::write_attribute(file, "source", weights.source);
      write_weight_group(file, "params", weights.params);
      write_weight_group(file, "buffers", weights.buffers);
      if (extra) extra(file);
      // Closing cannot report errors (the handle's destructor); a flush can.
      POSE_H5_CHECK(H5Fflush(file.get(), H5F_SCOPE_GLOBAL));
    }
    rename_over(partial, path);
  } catch (const UserError&) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  } catch (const Error& e) {
    // A failed HDF5 write is almost always the disk or the folder (full, quota, read-only).
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw UserError(cat("cannot write '", path, "' (is the disk full or the folder read-only?): ", e.what()));
  }
}

}  // namespace pose
