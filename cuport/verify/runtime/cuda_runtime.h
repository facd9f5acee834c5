// CUDA header shim for the cuport CPU runtime.
#pragma once
#include "cuport_rt.h"
