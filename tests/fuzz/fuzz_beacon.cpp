// The LAN beacon parser: every datagram anyone on the LAN sends reaches it.
// What it accepts must survive encode() and decode() unchanged.

#include "lanbeacon.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using natter::discovery::LanBeacon;
    const QByteArray datagram(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto beacon = LanBeacon::decode(datagram);
    if (!beacon)
        return 0;
    const auto again = LanBeacon::decode(beacon->encode());
    if (!again || !(*again == *beacon))
        std::abort();
    return 0;
}
