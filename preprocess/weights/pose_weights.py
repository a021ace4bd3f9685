"""Writes the project's weight files (docs/data_format.md, "Weight files") with h5py.

Shared by convert_torchvision.py and tests/data/reference/make_pose_resnet_reference.py, so the
layout is defined once on the Python side (src/model/weight_file.h is the C++ side).
"""
import h5py
import numpy as np

FORMAT = "pose-weights"
VERSION = 1


def write_header(h5file, source):
    """Root attributes format, version, source."""
    # Fixed-length strings (np.bytes_): h5py would store a Python str as a variable-length
    # string, which fewer HDF5 readers handle.
    h5file.attrs["format"] = np.bytes_(FORMAT)
    h5file.attrs["version"] = np.int64(VERSION)
    h5file.attrs["source"] = np.bytes_(source.encode("utf-8"))


def write_tensors(h5file, group_name, tensors):
    """One float32 dataset per (name, array) of `tensors`, in a group that keeps their order."""
    # Through the low-level API because h5py's track_order=True also stamps the group with
    # its creation time, and the same weights would then give a different file each run.
    gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
    gcpl.set_link_creation_order(h5py.h5p.CRT_ORDER_TRACKED | h5py.h5p.CRT_ORDER_INDEXED)
    gcpl.set_obj_track_times(False)
    group = h5py.Group(h5py.h5g.create(h5file.id, group_name.encode("utf-8"), gcpl=gcpl))
    for name, array in tensors:
        group.create_dataset(name, data=np.asarray(array, dtype=np.float32))
