// glibc's malloc tuning and trimming (malloc.h), which the Glibc Swift module does not export:
// `malloc_trim` for `MemoryReturn` (LatchkeyServer).
#include <malloc.h>
