// memset / memcpy in device code become byte loops through unsigned char*, each argument evaluated
// once before the loop; the size may be a constant or an expression. A call whose result is used
// is refused.
constexpr int TAB = 16;

__global__ void tables(const float* in, float* out, int n) {
  unsigned char state[TAB];
  float row[4];
  memset(state, 0, TAB);
  memcpy(row, in + 4 * threadIdx.x, n * sizeof(float));
  std::memset(out + threadIdx.x, 0xff, sizeof(float));
  out[threadIdx.x] += row[0] + state[3];
}

__global__ void result_used(char* dst, const char* src) {
  char* end = (char*)memcpy(dst, src, 4) + 4;
  *end = 0;
}

/* EXPECT-IR
__global__ void tables(const float* in, float* out, int n) {
  unsigned char state[16];
  float row[4];
  {
    unsigned char* mem_dst_1 = (unsigned char*)(unsigned char*)state;
    unsigned char mem_fill_2 = (unsigned char)0;
    unsigned long long mem_bytes_3 = (unsigned long long)16;
    for (unsigned long long mem_i_4 = 0ull; mem_i_4 < mem_bytes_3; mem_i_4 += 1ull) {
      mem_dst_1[mem_i_4] = mem_fill_2;
    }
  }
  {
    unsigned char* mem_dst_5 = (unsigned char*)(float*)row;
    const unsigned char* mem_src_6 = (const unsigned char*)(in + (unsigned int)4 * threadIdx.x);
    unsigned long long mem_bytes_7 = (unsigned long long)n * 4ull;
    for (unsigned long long mem_i_8 = 0ull; mem_i_8 < mem_bytes_7; mem_i_8 += 1ull) {
      mem_dst_5[mem_i_8] = mem_src_6[mem_i_8];
    }
  }
  {
    unsigned char* mem_dst_9 = (unsigned char*)(out + threadIdx.x);
    unsigned char mem_fill_10 = (unsigned char)255;
    unsigned long long mem_bytes_11 = 4ull;
    for (unsigned long long mem_i_12 = 0ull; mem_i_12 < mem_bytes_11; mem_i_12 += 1ull) {
      mem_dst_9[mem_i_12] = mem_fill_10;
    }
  }
  out[threadIdx.x] += row[0] + (float)state[3];
}

// FAILED result_used
device_memset_memcpy.cu:16:22: error[CL001]: cannot lower 'memcpy' whose result is used: only a call as a statement is lowered
      char* end = (char*)memcpy(dst, src, 4) + 4;
                         ^
*/
