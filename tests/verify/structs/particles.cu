// An array of structs, written for cuport's struct-buffer tests: float3-like fields (a struct of
// three floats, 4-byte aligned), an int tag, a char flag followed by 3 padding bytes, and a double
// that starts at the next multiple of 8 (4 more padding bytes): 40 bytes per particle.
struct Vec3 {
  float x, y, z;
};

struct Particle {
  Vec3 pos;
  Vec3 vel;
  int tag;
  char alive;
  double mass;
};

// One explicit Euler step under gravity; `out` gets whole structs, `in` is read only.
__global__ void advance(Particle* out, const Particle* in, float dt, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  Particle q = in[i];
  q.pos.x += dt * q.vel.x;
  q.pos.y += dt * q.vel.y;
  q.pos.z += dt * q.vel.z;
  q.vel.y -= dt * 9.81f;
  q.tag = q.tag * 2 + (q.pos.y < 0.0f);
  q.alive = q.pos.y >= -1.0f;
  q.mass = q.mass * 0.5;
  out[i] = q;
}

// Updates some fields in place: the others must come back as they were.
__global__ void damp(Particle* p, float k, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    p[i].vel.x *= k;
    p[i].vel.z *= k;
    p[i].tag += 1;
  }
}
