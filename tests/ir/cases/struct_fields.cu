// Struct fields resolve when array sizes are constant expressions (enumerators, `N + 1`),
// through typedefs of arrays and of anonymous structs, and in a struct local to a template.
// The printed IR defines each struct it uses (dependencies first).
// TEMPLATE: pack T=float N=4
enum { NSTEP = 2, ORDER = 4 };
typedef struct {
  int step;
  float weight;
} Step;
typedef struct {
  Step steps[NSTEP];
} AllSteps;
typedef struct node {
  int keys[ORDER + 1];
  bool leaf;
} node;
typedef unsigned int Row[2 * ORDER];
typedef struct {
  Row a;
  Row b;
} Rows;

__global__ void walk(const node* nodes, const AllSteps* all, Rows* rows, float* out) {
  int i = threadIdx.x;
  out[i] = nodes[i].keys[ORDER] + all->steps[NSTEP - 1].weight;
  rows->a[i] += rows->b[i];
}

template <typename T, int N>
__global__ void pack(T* out, const T* in) {
  struct Chunk {
    T data[N];
  };
  Chunk c = *reinterpret_cast<const Chunk*>(&in[threadIdx.x * N]);
  for (int k = 0; k < N; k++) {
    out[threadIdx.x * N + k] = c.data[k] * 2;
  }
}

/* EXPECT-IR
typedef struct node {
  int keys[5];
  bool leaf;
} node;

typedef struct Step {
  int step;
  float weight;
} Step;

typedef struct AllSteps {
  Step steps[2];
} AllSteps;

typedef struct Rows {
  unsigned int a[8];
  unsigned int b[8];
} Rows;

typedef struct Chunk {
  float data[4];
} Chunk;

__global__ void walk(const node* nodes, const AllSteps* all, Rows* rows, float* out) {
  int i = (int)threadIdx.x;
  out[i] = (float)nodes[i].keys[4] + all->steps[1].weight;
  rows->a[i] += rows->b[i];
}

template <typename T = float, int N = 4>
__global__ void pack(float* out, const float* in) {
  Chunk c = *reinterpret_cast<const Chunk*>(&in[threadIdx.x * (unsigned int)4]);
  for (int k = 0; k < 4; k += 1) {
    out[threadIdx.x * (unsigned int)4 + (unsigned int)k] = c.data[k] * (float)2;
  }
}
*/
