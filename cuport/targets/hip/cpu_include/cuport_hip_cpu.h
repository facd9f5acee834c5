// HIP spellings the CPU runtime needs besides plain renames (those are generated from the API
// tables into cuport_hip_aliases.h by cuport/targets/hip/aliases.py). Included by every generated
// hip/*.h header when a HIP port is compiled against the CPU runtime for verification.
#pragma once

#ifndef __HIP_PLATFORM_AMD__
#define __HIP_PLATFORM_AMD__ 1
#endif
#ifndef __HIPCC__
#define __HIPCC__ 1
#endif

// hipLaunchKernelGGL(kernel, grid, block, shared, stream, args...): the launch-call form of
// `kernel<<<grid, block, shared, stream>>>(args...)`, spelled in the runtime's own launch call
// (the lexical <<<>>> rewriting does not see inside macros).
#define hipLaunchKernelGGL(kernel, grid, block, shared, stream, ...) \
  ::cuport::launch_kernel(::cuport::LaunchConfig(grid, block, shared, stream), \
                          [&](auto&&... cuport_a) { kernel(cuport_a...); }, ##__VA_ARGS__)
#define HIP_KERNEL_NAME(...) __VA_ARGS__
#define HIP_SYMBOL(sym) sym
