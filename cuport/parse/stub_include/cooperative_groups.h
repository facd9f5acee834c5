/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_COOPERATIVE_GROUPS_H
#define CUPORT_STUB_COOPERATIVE_GROUPS_H
#endif
