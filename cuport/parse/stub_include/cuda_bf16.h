/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_CUDA_BF16_H
#define CUPORT_STUB_CUDA_BF16_H
#endif
