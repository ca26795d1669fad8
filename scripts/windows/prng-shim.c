/* Tests only, never shipped: Rust's standard library (1.78 and later) asks
 * bcryptprimitives.dll for ProcessPrng at start-up; Wine 8's has none. This answers it
 * from BCryptGenRandom, the system's generator, which Wine 8 has. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  return BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}
