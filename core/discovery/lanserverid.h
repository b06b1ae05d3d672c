#pragma once

// A server's beacon id: random, kept in the server's data directory so that
// a restarted server is still the same row in every browser.

#include <QString>

namespace natter::discovery {

class LanServerId
{
public:
    // Reads DIR/lan-server-id, creating it when missing. If it cannot be
    // written the id is fresh for this run only (and a warning is logged).
    static QString loadOrCreate(const QString &dataDir);
};

} // namespace natter::discovery
