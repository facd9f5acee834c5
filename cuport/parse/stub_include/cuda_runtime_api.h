/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_CUDA_RUNTIME_API_H
#define CUPORT_STUB_CUDA_RUNTIME_API_H
#define CUDART_VERSION 12040
#endif
