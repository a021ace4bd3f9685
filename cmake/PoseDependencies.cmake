# Finds every third-party library and decides whether the CUDA backend is built.
# Sets POSE_WITH_CUDA (ON/OFF) and defines the imported targets the project links.

find_package(MPI REQUIRED COMPONENTS C)
# The C API only: mpi.h would otherwise pull in the deprecated C++ bindings (libmpi_cxx),
# which the GPU host lacks.
add_library(pose_mpi INTERFACE)
target_link_libraries(pose_mpi INTERFACE MPI::MPI_C)
target_compile_definitions(pose_mpi INTERFACE OMPI_SKIP_MPICXX MPICH_SKIP_MPICXX)
if(POSE_STATIC_THIRD_PARTY)
  set(HDF5_USE_STATIC_LIBRARIES ON)
  set(BLA_STATIC ON)
  # GPU nodes often lack the toolchain's C++ runtime version; cuDNN and NCCL bring their own.
  add_link_options(-static-libstdc++ -static-libgcc)
endif()
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(GTest)
find_package(Threads REQUIRED)

set(BLA_VENDOR OpenBLAS)
find_package(BLAS REQUIRED)
# pose_blas: OpenBLAS; the static archive also needs the Fortran runtime it was built with.
add_library(pose_blas INTERFACE)
target_link_libraries(pose_blas INTERFACE BLAS::BLAS)
if(POSE_STATIC_THIRD_PARTY)
  foreach(_runtime gfortran quadmath)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=lib${_runtime}.a
                    OUTPUT_VARIABLE _archive OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${_archive}")
      message(FATAL_ERROR "POSE_STATIC_THIRD_PARTY: lib${_runtime}.a not found (install gfortran)")
    endif()
    target_link_libraries(pose_blas INTERFACE ${_archive})
  endforeach()
  target_link_libraries(pose_blas INTERFACE Threads::Threads m)
endif()

if(POSE_STATIC_THIRD_PARTY)
  set(Boost_USE_STATIC_LIBS ON)
endif()
find_package(Boost 1.71 REQUIRED COMPONENTS program_options)

# libjpeg-turbo through the libjpeg API (jpeglib.h): it can crop columns, skip scanlines and
# decode at 1/2, 1/4, 1/8 scale, which region decoding needs.
if(POSE_STATIC_THIRD_PARTY)
  find_library(POSE_JPEG_LIBRARY NAMES libjpeg.a REQUIRED)
else()
  find_library(POSE_JPEG_LIBRARY NAMES jpeg REQUIRED)
endif()
find_path(POSE_JPEG_INCLUDE_DIR jpeglib.h REQUIRED)
add_library(pose_jpeg INTERFACE)
target_link_libraries(pose_jpeg INTERFACE ${POSE_JPEG_LIBRARY})
target_include_directories(pose_jpeg SYSTEM INTERFACE ${POSE_JPEG_INCLUDE_DIR})

find_package(nlohmann_json 3 REQUIRED)

add_library(pose_hdf5 INTERFACE)
if(POSE_STATIC_THIRD_PARTY)
  # FindHDF5 also lists the shared libraries HDF5's own build used (curl and crypto, for an
  # S3 driver we never open): link the archive with static szip, aec and zlib instead.
  set(_hdf5_archive ${HDF5_C_LIBRARIES})
  list(FILTER _hdf5_archive INCLUDE REGEX "libhdf5(_serial)?\\.a$")
  if(NOT _hdf5_archive)
    message(FATAL_ERROR "POSE_STATIC_THIRD_PARTY: no static HDF5 archive among ${HDF5_C_LIBRARIES}")
  endif()
  foreach(_dep sz aec z)
    find_library(POSE_${_dep}_ARCHIVE NAMES lib${_dep}.a REQUIRED)
    list(APPEND _hdf5_archive ${POSE_${_dep}_ARCHIVE})
  endforeach()
  target_link_libraries(pose_hdf5 INTERFACE ${_hdf5_archive} ${CMAKE_DL_LIBS} Threads::Threads m)
else()
  target_link_libraries(pose_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
endif()
target_include_directories(pose_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_compile_definitions(pose_hdf5 INTERFACE ${HDF5_C_DEFINITIONS})

# oneDNN for the CPU backend's convolutions (kernels/cpu_conv.h); AUTO uses it when found.
# The static GPU pack leaves it out: its CPU path is only the reference one.
string(TOUPPER "${POSE_ONEDNN}" POSE_ONEDNN)
set(POSE_WITH_ONEDNN OFF)
if(NOT POSE_ONEDNN STREQUAL "OFF" AND NOT POSE_STATIC_THIRD_PARTY)
  # Debian's dnnl-config.cmake insists on OpenCL headers for its GPU runtime: find the CPU
  # library and its header directly instead.
  find_library(POSE_DNNL_LIBRARY dnnl)
  find_path(POSE_DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
  if(POSE_DNNL_LIBRARY AND POSE_DNNL_INCLUDE_DIR)
    set(POSE_WITH_ONEDNN ON)
    add_library(pose_dnnl INTERFACE)
    target_link_libraries(pose_dnnl INTERFACE ${POSE_DNNL_LIBRARY})
    target_include_directories(pose_dnnl SYSTEM INTERFACE ${POSE_DNNL_INCLUDE_DIR})
  elseif(POSE_ONEDNN STREQUAL "ON")
    message(FATAL_ERROR "POSE_ONEDNN=ON but oneDNN was not found (apt-get install libdnnl-dev)")
  else()
    message(STATUS "pose: no oneDNN found, CPU convolutions use the im2col reference only")
  endif()
endif()

# --- CUDA backend -------------------------------------------------------------------------
string(TOUPPER "${POSE_CUDA}" POSE_CUDA)
if(NOT POSE_CUDA MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "POSE_CUDA must be AUTO, ON or OFF (got '${POSE_CUDA}')")
endif()
set(POSE_WITH_CUDA OFF)
if(NOT POSE_CUDA STREQUAL "OFF")
  # nvcc is often installed outside PATH; look in the usual place before giving up.
  if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    find_program(_pose_nvcc nvcc)
    if(NOT _pose_nvcc)
      set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
    endif()
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(POSE_WITH_CUDA ON)
  elseif(POSE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "POSE_CUDA=ON but no CUDA compiler was found: set CUDACXX or CMAKE_CUDA_COMPILER")
  else()
    message(STATUS "pose: no nvcc found, building without the CUDA backend")
  endif()
endif()

if(POSE_WITH_CUDA)
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90)   # the H100 of the GPU host
  endif()
  enable_language(CUDA)
  set(CMAKE_CUDA_STANDARD 17)
  set(CMAKE_CUDA_STANDARD_REQUIRED ON)
  find_package(CUDAToolkit REQUIRED)
  find_package(CUDNN REQUIRED)
  find_package(NCCL REQUIRED)
endif()

# ccache shortens rebuilds on the 2-core development machines.
find_program(POSE_CCACHE ccache)
if(POSE_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${POSE_CCACHE})
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${POSE_CCACHE})
endif()
