// C++ conversions made explicit: promotion of small integers, unsigned vs signed, float vs double.
__global__ void conv(unsigned char* a, short* b, unsigned int* c, long long* d, float* f, double* g) {
  int i = a[0] + b[0];
  unsigned int u = c[0] + i;
  long long l = d[0] + c[0];
  f[0] = f[1] * 2.0;
  g[0] = f[0] + 1;
  a[1] += 3;
  b[1] <<= 2;
  c[1] = -1;
  bool z = i;
  f[2] = z ? u : 0.5f;
  d[1] = sizeof(float4) + sizeof(double);
  char ch = 'x';
  f[3] = (float)ch / 2;
}

/* EXPECT-IR
__global__ void conv(unsigned char* a, short* b, unsigned int* c, long long* d, float* f, double* g) {
  int i = (int)a[0] + (int)b[0];
  unsigned int u = c[0] + (unsigned int)i;
  long long l = d[0] + (long long)c[0];
  f[0] = (float)((double)f[1] * 2.0);
  g[0] = (double)(f[0] + (float)1);
  a[1] += 3;
  b[1] <<= 2;
  c[1] = (unsigned int)-1;
  bool z = (bool)i;
  f[2] = z ? (float)u : 0.5f;
  d[1] = (long long)24ull;
  signed char ch = 'x';
  f[3] = (float)ch / (float)2;
}
*/
