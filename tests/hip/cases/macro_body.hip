// A checking macro: names inside a macro body are renamed, each with a CH002 warning.
// EXPECT: CH002
#include "hip/hip_runtime.h"
#include <cstdio>

#define CHECK(call)                                                     \
    do {                                                                \
        hipError_t e_ = (call);                                        \
        if (e_ != hipSuccess)                                          \
            printf("error %s at %d\n", hipGetErrorString(e_), __LINE__); \
    } while (0)

void sync_all() { CHECK(hipDeviceSynchronize()); }
