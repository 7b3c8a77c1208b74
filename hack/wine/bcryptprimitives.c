/*
 * A stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks. Go 1.22
 * and later get their random bytes from its ProcessPrng export; here it
 * forwards to advapi32's SystemFunction036 (RtlGenRandom), which Wine has.
 * Only for running GOOS=windows test binaries under Wine.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	/* RtlGenRandom takes a ULONG length, so feed it in chunks. */
	while (length > 0) {
		ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
