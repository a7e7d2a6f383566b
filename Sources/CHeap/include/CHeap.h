#ifndef SLIPWAY_CHEAP_H
#define SLIPWAY_CHEAP_H

/// Gives the free memory the C allocator holds back to the system: glibc's malloc_trim(0).
/// Returns 1 when some memory was released, 0 otherwise (and always 0 without glibc).
int slipway_heap_trim(void);

#endif
