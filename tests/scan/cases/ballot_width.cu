// CPH004: a vote result (one bit per lane) kept in 32 bits or counted with 32-bit bit functions.
__global__ void k(int *out, float v) {
  unsigned int votes = __ballot_sync(__activemask(), v > 0);  // EXPECT: CPH004
  int active = __popc(__activemask());  // EXPECT: CPH004
  uint32_t m;
  m = __ballot_sync(__activemask(), v < 0);  // EXPECT: CPH004
  int first = __ffs(__ballot_sync(__activemask(), v == 0)) - 1;  // EXPECT: CPH004
  // 64-bit storage and counting are fine
  unsigned long long wide = __ballot_sync(__activemask(), v > 1);
  int count = __popcll(wide);
  out[threadIdx.x] = votes + active + m + first + count;
}
