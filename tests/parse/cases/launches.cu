// Launch sites: chevrons with 2, 3 and 4 configuration arguments, qualified names, and the
// runtime launch APIs with the casts people write around the kernel.
namespace ns {
__global__ void k(float *a, int n) {}
}
__global__ void coop(int *flags) {}

void host(float *a, int n, int *flags, void **args, cudaStream_t stream) {
  ns::k<<<1, 32>>>(a, n);
  ns::k<<<dim3(4, 4), dim3(8, 8), 128>>>(a, n);
  ns::k<<<n, 1, 0, stream>>>(a, n);
  cudaLaunchKernel((void *)coop, dim3(1), dim3(64), args, 0, stream);
  cudaLaunchKernel(reinterpret_cast<const void *>(&coop), 1, 64, args);
  cudaLaunchCooperativeKernel((void *)coop, 2, 64, args, 0, stream);
  cudaLaunchKernelEx(&config, coop, flags);
  printf("not a launch %d\n", n);
}

/* EXPECTED INVENTORY
   function global void ns::k(float* a, int n) @4:17 | definition
   function global void coop(int* flags) @6:17 | definition
   launch ns::k via <<<>>> config(1, 32) args(a, n) in host @9:3
   launch ns::k via <<<>>> config(dim3(4, 4), dim3(8, 8), 128) args(a, n) in host @10:3
   launch ns::k via <<<>>> config(n, 1, 0, stream) args(a, n) in host @11:3
   launch coop via cudaLaunchKernel config(dim3(1), dim3(64)) args(args) in host @12:3
   launch coop via cudaLaunchKernel config(1, 64) args(args) in host @13:3
   launch coop via cudaLaunchCooperativeKernel config(2, 64) args(args) in host @14:3
   launch coop via cudaLaunchKernelEx config(&config) args(flags) in host @15:3
*/
