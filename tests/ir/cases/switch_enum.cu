// switch without fall-through becomes an if/else-if chain; enum types are int; local aliases work.
typedef enum { MODE_A = 0, MODE_B = 2 } mode_t_;
__global__ void pick(int* out, mode_t_ mode, int n) {
  using idx = unsigned int;
  idx i = threadIdx.x;
  switch (mode) {
    case MODE_A:
    case 1:
      out[i] = n;
      break;
    case MODE_B: {
      out[i] = 2 * n;
      break;
    }
    default:
      out[i] = 0;
  }
}

/* EXPECT-IR
__global__ void pick(int* out, int mode, int n) {
  unsigned int i = threadIdx.x;
  {
    if (mode == 0 || mode == 1) {
      out[i] = n;
    } else if (mode == 2) {
      out[i] = 2 * n;
    } else {
      out[i] = 0;
    }
  }
}
*/
