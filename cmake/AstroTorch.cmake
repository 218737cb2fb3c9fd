# libtorch: Debian's 1.13 (CPU) or a CUDA libtorch 2.x (pass -DCMAKE_PREFIX_PATH=$(python3 -c
# 'import torch;print(torch.utils.cmake_prefix_path)')). Torch headers cost ~13 s per TU, so every
# torch-using target reuses one precompiled header (astro_use_torch) and public headers never
# include them.
find_package(Torch REQUIRED)
message(STATUS "libtorch ${Torch_VERSION} at ${TORCH_INSTALL_PREFIX}")

set(ASTRO_HAS_CUDA OFF)
if(ASTRO_CUDA STREQUAL "AUTO")
  if(TORCH_CUDA_LIBRARIES OR TARGET torch_cuda)
    set(ASTRO_HAS_CUDA ON)
  endif()
elseif(ASTRO_CUDA)
  set(ASTRO_HAS_CUDA ON)
endif()
message(STATUS "Astro CUDA support: ${ASTRO_HAS_CUDA}")

add_library(astro_torch INTERFACE)
# Torch's own flags (e.g. -D_GLIBCXX_USE_CXX11_ABI) travel with its imported targets.
target_link_libraries(astro_torch INTERFACE ${TORCH_LIBRARIES})
target_include_directories(astro_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
if(ASTRO_HAS_CUDA)
  target_compile_definitions(astro_torch INTERFACE ASTRO_WITH_CUDA=1)
endif()

# The one precompiled header every torch-using target reuses.
add_library(astro_torch_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/torch_pch.cpp)
target_link_libraries(astro_torch_pch PUBLIC astro_settings astro_torch)
target_precompile_headers(astro_torch_pch PRIVATE <torch/torch.h>)

# astro_use_torch(target): link libtorch privately and reuse the shared precompiled header.
function(astro_use_torch target)
  target_link_libraries(${target} PRIVATE astro_torch)
  target_precompile_headers(${target} REUSE_FROM astro_torch_pch)
endfunction()
