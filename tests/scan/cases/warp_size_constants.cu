// CPH001: a warp size hard-coded as 32 in a macro or a constant.
#define WARP_SIZE 32  // EXPECT: CPH001
#define WARPSZ (32)  // EXPECT: CPH001
#define BLOCK 32
#define NUM_WARPS 8
const int kWarp = 32;  // EXPECT: CPH001
constexpr unsigned warp_width = 32u;  // EXPECT: CPH001
static const int tile = 32;

__global__ void k(float *out) {
  const int warps_per_block = 4;
  out[threadIdx.x] = WARP_SIZE + warps_per_block;
}
