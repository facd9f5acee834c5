/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_CURAND_KERNEL_H
#define CUPORT_STUB_CURAND_KERNEL_H
#endif
