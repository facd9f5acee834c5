// A device function declared here and defined in scale.cu (separate compilation, nvcc -rdc).
#pragma once
typedef float real;
__device__ real scale_add(real x, int k);
