// A string literal initialising a local array of 8-bit characters is its characters plus the NUL
// (with a given size: as many as fit, the rest zero).
__global__ void lookup(const unsigned char* in, unsigned char* out) {
  const unsigned char table[] = "AB\n";
  char small[2] = "xyz";
  char padded[4] = "q";
  int i = threadIdx.x;
  out[i] = table[in[i] % 4] + small[1] + padded[3];
}

/* EXPECT-IR
__global__ void lookup(const unsigned char* in, unsigned char* out) {
  const unsigned char table[4] = {(unsigned char)65, (unsigned char)66, (unsigned char)10, (unsigned char)0};
  signed char small[2] = {'x', 'y'};
  signed char padded[4] = {'q', (signed char)0, (signed char)0, (signed char)0};
  int i = (int)threadIdx.x;
  out[i] = (unsigned char)((int)table[(int)in[i] % 4] + (int)small[1] + (int)padded[3]);
}
*/
