// What the CUB lowering refuses, each with its reason: an unqualified BlockLoad without
// `using namespace cub` (code often carries its own class of that name), a scan with a custom
// operator, a warp scan of a 16-bit type, a void collective used as a value.
template <typename T, int N, int I> struct BlockLoad;
__global__ void own_class(const float* in, float* out) {
  typedef BlockLoad<float, 64, 2> Load;
  __shared__ typename Load::TempStorage temp;
  float items[2];
  Load(temp).Load(in, items);
  out[threadIdx.x] = items[0];
}
__global__ void custom_scan(const int* in, int* out) {
  typedef cub::BlockScan<int, 64> Scan;
  __shared__ typename Scan::TempStorage temp;
  int v;
  Scan(temp).InclusiveScan(in[threadIdx.x], v, cub::Max());
  out[threadIdx.x] = v;
}
__global__ void short_scan(const short* in, short* out) {
  typedef cub::WarpScan<short> Scan;
  __shared__ typename Scan::TempStorage temp;
  short v;
  Scan(temp).InclusiveSum(in[threadIdx.x], v);
  out[threadIdx.x] = v;
}
__global__ void void_value(const int* in, int* out) {
  typedef cub::BlockLoad<int, 64, 1> Load;
  __shared__ typename Load::TempStorage temp;
  int items[1];
  int x = Load(temp).Load(in, items);
  out[threadIdx.x] = items[0] + x;
}

/* EXPECT-IR
// FAILED own_class
cub_refusals.cu:7:14: error[CL005]: unknown type 'typename Load::TempStorage'
      __shared__ typename Load::TempStorage temp;
                 ^

// FAILED custom_scan
cub_refusals.cu:16:3: error[CL001]: cannot lower cub::BlockScan::InclusiveScan with 3 arguments: not supported (ExclusiveSum and InclusiveSum are)
      Scan(temp).InclusiveScan(in[threadIdx.x], v, cub::Max());
      ^

// FAILED short_scan
cub_refusals.cu:23:27: error[CL001]: cannot lower cub::WarpScan of short: not supported (shuffles move 32 bits or more)
      Scan(temp).InclusiveSum(in[threadIdx.x], v);
                              ^

// FAILED void_value
cub_refusals.cu:30:11: error[CL001]: cannot lower cub::BlockLoad::Load: returns nothing
      int x = Load(temp).Load(in, items);
              ^
*/
