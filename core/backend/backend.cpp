#include "backend.h"

namespace natter::client {

Backend::Backend(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

void Backend::setConnectionState(ConnectionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit connectionStateChanged(state);
}

} // namespace natter::client
