// A checking macro: names inside a macro body are renamed, each with a CH002 warning.
// EXPECT: CH002
#include "cuda_runtime.h"
#include <cstdio>

#define CHECK(call)                                                     \
    do {                                                                \
        cudaError_t e_ = (call);                                        \
        if (e_ != cudaSuccess)                                          \
            printf("error %s at %d\n", cudaGetErrorString(e_), __LINE__); \
    } while (0)

void sync_all() { CHECK(cudaDeviceSynchronize()); }
