/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_CUDA_RUNTIME_H
#define CUPORT_STUB_CUDA_RUNTIME_H
#include <cuda_runtime_api.h>
#endif
