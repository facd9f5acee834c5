// Whole-program mode: the user's main (renamed cuport_user_main by the generated translation
// unit) runs as is, against the CPU runtime.
#include "cuport_rt.h"

int cuport_call_user_main(int argc, char** argv);

int main(int argc, char** argv) {
  const int rc = cuport_call_user_main(argc, argv);
  std::fflush(stdout);
  return rc;
}
