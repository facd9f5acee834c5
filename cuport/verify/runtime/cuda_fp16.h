// CUDA header shim for the cuport CPU runtime: __half lives in the runtime header.
#pragma once
#include "cuport_rt.h"
