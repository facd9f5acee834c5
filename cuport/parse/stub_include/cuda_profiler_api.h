/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_CUDA_PROFILER_API_H
#define CUPORT_STUB_CUDA_PROFILER_API_H
#endif
