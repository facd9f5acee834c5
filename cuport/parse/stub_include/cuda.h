/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_CUDA_H
#define CUPORT_STUB_CUDA_H
#define CUDA_VERSION 12040
#endif
