# Finds LibTorch for scorekit.
#   SCOREKIT_TORCH=wheel  (default) the torch wheel of SCOREKIT_PYTHON (the project's .venv/bin/python when present):
#                         its LibTorch, ABI flags and CUDA build, so `import torch` and scorekit share one LibTorch.
#   SCOREKIT_TORCH=system find_package(Torch) as installed (e.g. Debian's libtorch-dev 1.13, CPU only); not tested in CI.
set(SCOREKIT_TORCH "wheel" CACHE STRING "Which LibTorch to build against: wheel or system")
set_property(CACHE SCOREKIT_TORCH PROPERTY STRINGS wheel system)

# The project's Python: its torch wheel provides LibTorch (SCOREKIT_TORCH=wheel), and the Python
# binding is built for it and tested with it, so `import torch` and `import scorekit` share one LibTorch.
if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/.venv/bin/python")
  set(_sk_default_python "${CMAKE_CURRENT_SOURCE_DIR}/.venv/bin/python")
elseif(EXISTS /usr/bin/python3)
  set(_sk_default_python /usr/bin/python3)
else()
  find_program(_sk_default_python NAMES python3 python)
endif()
set(SCOREKIT_PYTHON "${_sk_default_python}" CACHE FILEPATH "The project's Python (torch wheel, Python binding)")

if(SCOREKIT_TORCH STREQUAL "wheel")
  execute_process(
    COMMAND "${SCOREKIT_PYTHON}" -c "import os, torch; print(os.path.dirname(torch.__file__)); print(torch.__version__)"
    OUTPUT_VARIABLE _sk_torch_out RESULT_VARIABLE _sk_torch_rc ERROR_VARIABLE _sk_torch_err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _sk_torch_rc EQUAL 0)
    message(FATAL_ERROR "scorekit: '${SCOREKIT_PYTHON}' cannot import torch (run scripts/bootstrap.sh, or pass "
                        "-DSCOREKIT_PYTHON=... or -DSCOREKIT_TORCH=system):\n${_sk_torch_err}")
  endif()
  string(REPLACE "\n" ";" _sk_torch_out "${_sk_torch_out}")
  list(GET _sk_torch_out 0 SCOREKIT_TORCH_ROOT)
  list(GET _sk_torch_out 1 SCOREKIT_TORCH_WHEEL_VERSION)
  # The wheel's root first, so its lib/ wins over any system LibTorch (find_library searches prefixes in order).
  list(PREPEND CMAKE_PREFIX_PATH "${SCOREKIT_TORCH_ROOT}" "${SCOREKIT_TORCH_ROOT}/share/cmake")
  message(STATUS "scorekit: LibTorch from the torch ${SCOREKIT_TORCH_WHEEL_VERSION} wheel at ${SCOREKIT_TORCH_ROOT}")
elseif(NOT SCOREKIT_TORCH STREQUAL "system")
  message(FATAL_ERROR "SCOREKIT_TORCH must be 'wheel' or 'system', got '${SCOREKIT_TORCH}'")
endif()

# No kernels of our own are compiled for the GPU; the arch list only quiets Caffe2's probe.
if(NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST} AND NOT TORCH_CUDA_ARCH_LIST)
  set(TORCH_CUDA_ARCH_LIST "9.0")
endif()
find_package(Torch REQUIRED)

# What LibTorch was built with decides which code paths compile: CUDA devices and the NCCL backend.
if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES OR CUDA_FOUND)
  set(SCOREKIT_WITH_CUDA ON)
else()
  set(SCOREKIT_WITH_CUDA OFF)
endif()
# nccl.h: the toolkit's, or the one of the wheel's nvidia-nccl package (machines with nvcc but no NCCL).
find_path(SCOREKIT_NCCL_INCLUDE nccl.h HINTS "${CUDAToolkit_INCLUDE_DIRS}" /usr/local/cuda/include
          "${SCOREKIT_TORCH_ROOT}/../nvidia/nccl/include")
if(SCOREKIT_WITH_CUDA AND SCOREKIT_NCCL_INCLUDE)
  set(SCOREKIT_WITH_NCCL ON)
  include_directories(SYSTEM "${SCOREKIT_NCCL_INCLUDE}")
else()
  set(SCOREKIT_WITH_NCCL OFF)
endif()
find_path(SCOREKIT_GLOO_INCLUDE gloo/algorithm.h)
message(STATUS "scorekit: torch ${Torch_VERSION}, CUDA ${SCOREKIT_WITH_CUDA}, NCCL ${SCOREKIT_WITH_NCCL}, gloo headers ${SCOREKIT_GLOO_INCLUDE}")
