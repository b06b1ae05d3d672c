#include "backendfactory.h"

#include "cable/cablebackend.h"
#include "chats/chatsbackend.h"
#include "gateway/gatewaybackend.h"
#include "natter/natterbackend.h"
#include "rooms/roomsbackend.h"
#include "social/socialbackend.h"

namespace natter::client {
namespace {

struct BackendEntry
{
    const char *dialect;
    std::unique_ptr<Backend> (*make)(Backend::Settings);
};

template<typename Adapter>
std::unique_ptr<Backend> create(Backend::Settings settings)
{
    return std::make_unique<Adapter>(std::move(settings));
}

// One line per dialect.
const BackendEntry backends[] = {
    {"rooms", &create<RoomsBackend>},
    {"social", &create<SocialBackend>},
    {"gateway", &create<GatewayBackend>},
    {"cable", &create<CableBackend>},
    {"chats", &create<ChatsBackend>},
    {"natter", &create<NatterBackend>},
};

} // namespace

QStringList backendDialects()
{
    QStringList names;
    for (const BackendEntry &entry : backends)
        names.append(QString::fromLatin1(entry.dialect));
    return names;
}

std::unique_ptr<Backend> makeBackend(const QString &dialect, Backend::Settings settings)
{
    for (const BackendEntry &entry : backends) {
        if (dialect == QLatin1StringView(entry.dialect))
            return entry.make(std::move(settings));
    }
    return nullptr;
}

} // namespace natter::client
