#include "endpointfactory.h"

#include "chats/chatsendpoint.h"
#include "cable/cableendpoint.h"
#include "rooms/roomsendpoint.h"
#include "social/socialendpoint.h"
#include "gateway/gatewayendpoint.h"
#include "natter/natterendpoint.h"

namespace natter::server {
namespace {

struct DialectEntry
{
    const char *name;
    const char *defaultPath;
    std::unique_ptr<DialectEndpoint> (*make)(ServerContext &, const QString &);
};

template<typename Endpoint>
std::unique_ptr<DialectEndpoint> create(ServerContext &context, const QString &path)
{
    return std::make_unique<Endpoint>(context, path);
}

// One line per dialect. `social` and `gateway` both say /ws in their specs:
// social keeps /ws, gateway defaults to /gateway (a listener option can move it).
const DialectEntry dialects[] = {
    {"rooms", "/ws/chat", &create<RoomsEndpoint>},
    {"cable", "/cable", &create<CableEndpoint>},
    {"social", "/ws", &create<SocialEndpoint>},
    {"gateway", "/gateway", &create<GatewayEndpoint>},
    {"chats", "/chats/ws", &create<ChatsEndpoint>},
    {"natter", "/ws/natter", &create<NatterEndpoint>},
};

const DialectEntry *find(const QString &dialect)
{
    for (const DialectEntry &entry : dialects) {
        if (dialect == QLatin1StringView(entry.name))
            return &entry;
    }
    return nullptr;
}

} // namespace

QStringList dialectNames()
{
    QStringList names;
    for (const DialectEntry &entry : dialects)
        names.append(QString::fromLatin1(entry.name));
    return names;
}

QString defaultMountPath(const QString &dialect)
{
    const DialectEntry *entry = find(dialect);
    return entry ? QString::fromLatin1(entry->defaultPath) : QString();
}

std::unique_ptr<DialectEndpoint> makeEndpoint(const QString &dialect, ServerContext &context,
                                              const QString &mountPath)
{
    const DialectEntry *entry = find(dialect);
    return entry ? entry->make(context, mountPath) : nullptr;
}

} // namespace natter::server
