// CPH002: a 32-bit all-ones mask passed to a *_sync warp function, directly or through a name.
#define FULL_MASK 0xffffffff
#define WIDE_MASK 0xffffffffffffffffull
const unsigned kAll = 0xFFFFFFFFu;
#define SHFL_DOWN(v, d) __shfl_down_sync(0xffffffff, v, d)  // EXPECT: CPH002
#define SHFL_WIDE(v, d) __shfl_down_sync(~0ull, v, d)

__global__ void k(float *out, float v) {
  v += __shfl_down_sync(0xffffffff, v, 1);  // EXPECT: CPH002
  v += __shfl_xor_sync(0xFFFFFFFFu, v, 2);  // EXPECT: CPH002
  v += __shfl_sync(~0u, v, 0);  // EXPECT: CPH002
  v += __shfl_up_sync(-1, v, 1);  // EXPECT: CPH002
  v += __shfl_down_sync(FULL_MASK, v, 4);  // EXPECT: CPH002
  v += __shfl_down_sync(kAll, v, 8);  // EXPECT: CPH002
  unsigned m = 0xffffffff;
  if (__any_sync(m, v > 0)) v = 1;  // EXPECT: CPH002
  __syncwarp(0xffffffff);  // EXPECT: CPH002
  // 64-bit or computed masks are fine
  v += __shfl_down_sync(WIDE_MASK, v, 1);
  v += __shfl_down_sync(~0ull, v, 1);
  v += __shfl_down_sync(__activemask(), v, 1);
  v += __shfl_down_sync(0x0000ffff, v, 1);
  __syncwarp();
  // "0xffffffff" in a comment or a string is not code: __shfl_sync(0xffffffff, v, 0)
  printf("__shfl_sync(0xffffffff, v, 0)\n");
  out[threadIdx.x] = v;
}
