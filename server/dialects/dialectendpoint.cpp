#include "dialectendpoint.h"

namespace natter::server {

DialectEndpoint::DialectEndpoint(ServerContext &context, QString mountPath, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_mountPath(std::move(mountPath))
{
    while (m_mountPath.size() > 1 && m_mountPath.endsWith(u'/'))
        m_mountPath.chop(1);
}

bool DialectEndpoint::handlesPath(const QString &path) const
{
    return path == m_mountPath || path == m_mountPath + u'/';
}

} // namespace natter::server
