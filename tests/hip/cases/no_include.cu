/*
 * A licence header stays on top: the HIP runtime include goes after it.
 */
// nvcc includes the runtime implicitly; hipcc needs it spelt out.

__global__ void fill(int *x, int v) { x[threadIdx.x] = v; }
